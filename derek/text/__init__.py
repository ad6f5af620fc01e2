"""Text layer: analysis view (homoglyph repair, transliteration), script detection,
tokenization and sentence splitting — everything later stages read."""
from derek.text.view import TextView

__all__ = ["TextView"]
