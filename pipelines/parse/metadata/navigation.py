"""Site furniture around a report: breadcrumbs, menus, search bars, toolbars. A line of
it may contain a report word (`首页 > 政务公开 > 年报`, `热搜词: 政府工作报告`) but is
never the report's title, and where it ends the article begins."""

from __future__ import annotations

import re

# `当前位置:`, `您现在的位置:`, `您的位置`, `當前位置` (simplified by the reader), numbered crumb lists.
_LOCATION = re.compile(r"^(?:\d+\.\s*)?(?:您|你)?(?:当前|现在)?(?:所在)?(?:的)?位置|^(?:\d+\.\s*)?当前位置")
# Breadcrumb separators; a slash between digits is a date's, not a crumb's.
_CRUMB_SEPARATOR = re.compile(r">>|->|>|»|›|→|(?<!\d)/(?!\d)")
_BULLET = re.compile(r"^\s*(?:[•·●◆■▪►\-*]|\d+\.)\s*")
# Words of toolbars, menus, search and share bars.
_CHROME_WORDS = frozenset(
    """首页 网站首页 无障碍 无障碍浏览 适老版 长者专区 关怀版 智能问答 旧版 登录 注册 EN English 简体版 繁体版 简体 繁体
    字体 字号 大 中 小 打印 分享 关闭 关闭窗口 打印内容 收藏 背景色 视力保护色 配色 辅助线 重置 网站地图 联系我们 网站声明
    扫一扫 微信 微博 QQ空间 搜索 确定 高级搜索 政务公开 政务资讯 政务服务 办事服务 互动交流 信息公开 政府信息公开
    走进 政府领导 新闻中心 数据发布 专题专栏 公众参与 返回 顶部 返回顶部 上一篇 下一篇 IPv6 网站支持IPv6""".split()
)
_CHROME_MARKS = re.compile(
    r"热搜|热词|请输入|搜索类型|站内搜索|字体\s*[:：]|字号\s*[:：]|Copyright|版权所有|技术支持|ICP备"
)


def is_navigation(line: str) -> bool:
    """A line that is site furniture: a breadcrumb, a search or tool bar, a footer, or a
    run of menu words."""
    text = line.strip()
    if not text:
        return False
    if _LOCATION.match(text) or _CHROME_MARKS.search(text):
        return True
    if text.startswith((">", "»")) or len(_CRUMB_SEPARATOR.findall(text)) >= 2:
        return True
    if text.startswith("首页") and _CRUMB_SEPARATOR.search(text):
        return True
    tokens = [t for t in re.split(r"[\s|｜]+", _BULLET.sub("", text)) if t]
    return len(tokens) >= 2 and sum(t in _CHROME_WORDS for t in tokens) * 2 >= len(tokens)


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line)) and not re.match(r"^\s*\d+\.\d", line)


def in_menu(lines: list[str], i: int) -> bool:
    """A bulleted line whose neighbours are bulleted too: an entry of a menu or a list."""
    if not is_bullet(lines[i]):
        return False
    return any(0 <= j < len(lines) and is_bullet(lines[j]) for j in (i - 1, i + 1))
