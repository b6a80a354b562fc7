"""Text that may reach a mail header or a one-line field (team names, token names): one line, or refused."""
import unicodedata

from wtforms.validators import ValidationError

# Line and paragraph separators, control and format characters: each can end or bend a header line.
BREAKING = {"Cc", "Cf", "Zl", "Zp"}
MESSAGE = "Use one line: no line breaks, tabs or control characters."


def is_one_line(text):
    """Return True when text holds no line break, control or format character."""
    return not any(unicodedata.category(ch) in BREAKING for ch in text or "")


def one_line(text, limit=None):
    """Return text with every breaking character (and run of spaces) made one space, cut to limit characters."""
    cleaned = "".join(" " if unicodedata.category(ch) in BREAKING else ch for ch in str(text or ""))
    return " ".join(cleaned.split())[:limit]


class OneLine:
    """A form validator that refuses text that is not one line, with the reason."""

    def __call__(self, form, field):
        """Raise ValidationError when the field's text is not one line."""
        if isinstance(field.data, str) and not is_one_line(field.data):
            raise ValidationError(MESSAGE)
