"""Where the document fixtures (PDF, Word) are."""

from pathlib import Path

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
