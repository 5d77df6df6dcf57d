"""Which line is the title, and whose report it is, on pages laid out as sites across the
provinces lay them out: site furniture around the title (breadcrumbs, menus, hot-search
bars), no title line at all (the agency named in the opening sentence, the contact line or
the signature), and opening sentences that cite a notice about compiling the reports.

Every page here is synthetic: the layouts are real, the names are made up (regions are
real where the test is about the region)."""

from __future__ import annotations

import pytest
from helpers import page, parse_rows, report_of

BODY = [
    "一、总体情况",
    "2020年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "本年度未收到政府信息公开申请。",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
]
TITLE = "青禾县交通运输局2020年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    ("furniture", "where"),
    [
        (["当前位置:首页 > 政务公开 > 政府信息公开年报 > 2020 > 正文"], "breadcrumb"),
        (["您现在的位置: 首页>> 政务公开>> 年报"], "breadcrumb with >>"),
        (["首页 / 政府信息公开 / 政府信息公开年报 / 部门 / 正文"], "breadcrumb with /"),
        (["1. 当前位置:", "2. 首页 > 政府信息公开专栏 > 公开年报 > 2020年", "3. > 正文"], "numbered crumbs"),
        (["网站支持IPv6", "无障碍 适老版 登录 注册", "热搜词: 社保 公积金 政府工作报告"], "hot-search bar"),
        (["• 政府信息公开指南", "• 政府信息公开制度", "• 政府信息公开年报", "• 依申请公开"], "left menu"),
        (["首页 > 信息公开 > 街道办事处政府信息公开工作年度报告"], "breadcrumb ending in a generic report name"),
        (["政府信息公开工作年度报告"], "column label"),
    ],
)
def test_the_title_is_never_site_furniture(furniture: list[str], where: str) -> None:
    report = report_of(page([*furniture, TITLE, "发布时间:2021-01-25 10:12  来源:县交通运输局", *BODY]))
    assert report["title"] == TITLE, where
    assert report["agency"] == "青禾县交通运输局", where


def test_a_title_split_over_two_lines_under_a_generic_label_and_a_hot_search_bar() -> None:
    lines = [
        "热搜词: 营商环境 政府工作报告",
        "政府信息公开工作年度报告",
        "云岭镇人民政府",
        "2021年政府信息公开工作年度报告",
    ]
    report = report_of(page([*lines, *BODY]))
    assert report["title"] == "云岭镇人民政府2021年政府信息公开工作年度报告"
    assert report["agency"] == "云岭镇人民政府"
    assert report["year"] == 2021


def test_the_page_title_without_the_site_name() -> None:
    html = page(["首页 政务资讯 政务公开 政府领导 办事服务", *BODY], title=f"{TITLE}_青禾县人民政府门户网站")
    report = report_of(html)
    assert (report["title"], report["agency"]) == (TITLE, "青禾县交通运输局")


def test_a_heading_is_preferred_to_a_link_list_naming_another_report() -> None:
    html = page(["相关链接", "青禾县民政局2019年政府信息公开工作年度报告", *BODY], heading=TITLE)
    assert report_of(html)["agency"] == "青禾县交通运输局"


@pytest.mark.parametrize(
    ("opening", "agency", "year"),
    [
        pytest.param(
            "根据《条例》规定，现公布青禾县交通运输局2020年政府信息公开工作年度报告。",
            "青禾县交通运输局",
            2020,
            id="现公布",
        ),
        pytest.param(
            "现将石川县应急管理局2019年政府信息公开工作年度报告予以公布。", "石川县应急管理局", 2019, id="现将…予以公布"
        ),
        pytest.param(
            "特此公布。根据《条例》规定，特向社会公布2020年云岭市农业农村局政府信息公开工作年度报告。",
            "云岭市农业农村局",
            2020,
            id="特向社会公布, year first",
        ),
        pytest.param(
            "现通过政府门户网向社会公布2021年度张岭镇人民政府信息公开工作年度报告。",
            "张岭镇人民政府",
            2021,
            id="人民政府信息公开",
        ),
        pytest.param(
            "本年度报告根据《条例》要求，由北溪区人民政府办公室编制。统计期限自2020年1月1日起至2020年12月31日止。",
            "北溪区人民政府办公室",
            2020,
            id="由…编制",
        ),
        pytest.param(
            "本年报是根据《条例》要求，由江岭区行政审批服务管理办公室(公共资源交易管理委员会办公室)编制的2017年度政府信息公开工作年度报告。",
            "江岭区行政审批服务管理办公室(公共资源交易管理委员会办公室)",
            2017,
            id="由…编制的…报告, a remark in brackets",
        ),
        pytest.param(
            "按照有关要求，结合兰亭经济开发区管委会信息公开工作有关统计数据撰写本报告。统计期限自2021年1月1日起至2021年12月31日止。",
            "兰亭经济开发区管委会",
            2021,
            id="结合…信息公开工作",
        ),
        pytest.param(
            "本年度报告根据《条例》要求，汇总2021年度大东岭镇人民政府的政务公开年度报告编制而成。",
            "大东岭镇人民政府",
            2021,
            id="汇总…的…年度报告",
        ),
    ],
)
def test_a_page_without_a_title_names_its_agency_in_the_opening_sentence(opening: str, agency: str, year: int) -> None:
    report = report_of(page([opening, *BODY]))
    assert report["title"] is None
    assert (report["agency"], report["year"]) == (agency, year)


def test_the_body_named_in_the_report_name_is_the_agency_not_the_body_that_compiled_it() -> None:
    opening = "北溪区政务公开领导小组办公室编制了2019年北溪区人民政府信息公开工作年度报告。"
    assert report_of(page([opening, *BODY]))["agency"] == "北溪区人民政府"
    # The provincial office compiles the province's report: the province is the agency.
    opening = "根据《条例》规定，特公布江川省2018年政府信息公开工作年度报告。本报告由江川省人民政府办公厅编制。"
    assert report_of(page([opening, *BODY]))["agency"] == "江川省"


@pytest.mark.parametrize(
    "opening",
    [
        "根据《中华人民共和国政府信息公开条例》和《江川省政务公开领导小组办公室关于做好2020年度政府信息公开工作年度报告编制及发布工作的通知》要求，现公布青禾县民政局2020年政府信息公开工作年度报告。",
        "根据《条例》(国务院令第711号)和《江川省人民政府信息公开办公室关于2020年政府信息公开工作年度报告编制发布工作的通知》(江公开办函〔2021〕3号)要求，现公布青禾县民政局2020年政府信息公开工作年度报告。",
        "根据市府办《关于做好2020年政府信息公开工作年度报告编制等有关工作的通知》，现公布青禾县民政局2020年政府信息公开工作年度报告。",
    ],
    ids=["provincial notice", "notice with its number", "issuer glued before the title"],
)
def test_a_cited_notice_about_compiling_the_reports_is_neither_title_nor_agency(opening: str) -> None:
    report = report_of(page([opening, *BODY]))
    assert report["title"] is None
    assert report["agency"] == "青禾县民政局"
    assert report["year"] == 2020


def test_a_cited_notice_and_a_self_reference_leave_the_signature_to_name_the_agency() -> None:
    opening = "根据《条例》和《贵州省人民政府办公厅关于做好2020年政府信息公开年度报告编制和发布工作的通知》有关要求，现将我局2020年度政府信息公开工作报告如下。"
    report = report_of(page([opening, *BODY, "息烽县水务局", "2021年1月20日"]))
    assert report["agency"] == "息烽县水务局"
    assert (report["province"], report["county"], report["year"]) == ("贵州省", "息烽县", 2020)


@pytest.mark.parametrize(
    ("contact", "agency"),
    [
        (
            "如对本报告有任何疑问，请与青禾县农业农村局办公室联系（地址：青禾县新华路8号；电话：0000-1234567）。",
            "青禾县农业农村局",
        ),
        ("如有疑问，可与云岭镇人民政府党政办公室联系（电话：0000-1234567）。", "云岭镇人民政府"),
        ("如对本报告有疑问，请联系:北溪区林业局办公室，邮编：100000。", "北溪区林业局"),
        (
            "如对本报告有疑问，可直接与石岭市人民政府办公室政府信息公开中心联系（地址：石岭市花园路1号）。",
            "石岭市人民政府",
        ),
    ],
    ids=["请与…办公室联系", "可与…党政办公室联系", "请联系:", "直接与…办公室…中心联系"],
)
def test_a_page_that_calls_itself_we_is_named_by_its_contact_line(contact: str, agency: str) -> None:
    report = report_of(page(["现将我局2020年政府信息公开工作报告如下：", *BODY, contact]))
    assert report["agency"] == agency
    assert report["year"] == 2020


@pytest.mark.parametrize(
    "opening",
    [
        "现将我局2020年政府信息公开工作报告如下：",
        "特向社会公布2020年度本级政府(机关)信息公开年度报告。",
        "我委编制了2020年度政府信息公开工作年度报告。",
        "为做好2020年全州政府信息公开工作年度报告编制及发布工作，现将有关情况报告如下。",
    ],
    ids=["我局", "本级政府", "我委", "全州"],
)
def test_self_references_and_scopes_are_never_names(opening: str) -> None:
    report = report_of(page([opening, *BODY]))
    assert report["agency"] is None
    assert report["year"] == 2020


def test_a_bare_level_word_is_completed_from_the_county_the_text_names() -> None:
    lines = [
        "根据《条例》及省、市政府有关规定，县政府编制了2020年度政府信息公开工作报告。",
        "2020年，大英县认真贯彻落实《条例》。",
    ]
    report = report_of(page([*lines, *BODY]))
    assert report["agency"] == "大英县政府"
    assert (report["province"], report["city"], report["county"]) == ("四川省", "遂宁市", "大英县")
    assert any(i["code"] == "region_inferred" for i in parse_rows(page([*lines, *BODY]), "p.html").rows["parse_issues"])


def test_a_bare_county_word_names_no_region() -> None:
    """The gazetteer files Chongqing's counties under a city `县`: a bare 县 is no place."""
    report = report_of(page(["县政府编制了2020年度政府信息公开工作报告。", *BODY]))
    assert report["agency"] == "县政府"
    assert report["province"] is None


def test_a_title_that_lost_its_region_is_completed_by_the_fuller_name_in_the_text() -> None:
    lines = [
        "区科技局2020年信息公开工作年度报告",
        "根据《条例》要求，现公布宣州区科技局2020年政府信息公开工作年度报告。",
    ]
    report = report_of(page([*lines, *BODY]))
    assert report["agency"] == "宣州区科技局"
    assert report["county"] == "宣州区"


def test_a_ministry_notice_wrapping_its_report_names_the_ministry() -> None:
    title = "某某部办公厅关于2017年某某部政府信息公开工作年度报告的公告"
    assert report_of(page([title, *BODY]))["agency"] == "某某部"


def test_a_text_export_without_title_or_breadcrumb_is_named_by_its_signature() -> None:
    text = "\n".join([*BODY, "如有疑问请与我办联系。", "石川县建新镇人民政府", "2018年12月31日"])
    assert report_of(text.encode("utf-8"), "export.txt")["agency"] == "石川县建新镇人民政府"


def test_a_text_export_without_title_is_named_by_its_contact_line() -> None:
    text = "\n".join([*BODY, "如对本报告有任何疑问，请与石川县审计局办公室联系（电话：0000-1234567）。"])
    assert report_of(text.encode("utf-8"), "export.txt")["agency"] == "石川县审计局"


def test_a_title_cut_mid_word_over_two_lines() -> None:
    """A scan or a narrow column breaks the title where the line is full."""
    report = report_of(page(["北溪区云岭街道2022年度政府信息公开工", "作年度报告", *BODY]))
    assert report["title"] == "北溪区云岭街道2022年度政府信息公开工作年度报告"
    assert report["agency"] == "北溪区云岭街道"


def test_whatever_precedes_the_titles_year_is_the_agency() -> None:
    assert report_of(page(["青禾县第一中学2020年政府信息公开工作年度报告", *BODY]))["agency"] == "青禾县第一中学"


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("第一篇:2009年青禾市文化局政府信息公开年度报告", "青禾市文化局"),
        ("第二章 青禾县交通运输局2020年政府信息公开工作年度报告", "青禾县交通运输局"),
        ("一、青禾县交通运输局2020年政府信息公开工作年度报告", "青禾县交通运输局"),
        ("(三)青禾县2020年政府信息公开工作年度报告", "青禾县"),
        ("3.青禾县交通运输局2020年政府信息公开工作年度报告", "青禾县交通运输局"),
        # Decoys: names that begin with an ordinal, and a title that begins with its year.
        ("青禾县第一中学2020年政府信息公开工作年度报告", "青禾县第一中学"),
        ("第一师2020年政府信息公开工作年度报告", "第一师"),
        ("2020年青禾县交通运输局政府信息公开工作年度报告", "青禾县交通运输局"),
    ],
)
def test_a_sites_ordinal_label_before_the_title_is_not_the_agency(title: str, agency: str) -> None:
    assert report_of(page([title, *BODY]))["agency"] == agency
