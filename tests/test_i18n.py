"""Every message is translated into Polish, and money and dates follow the reader's locale."""

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from engage.i18n import money

KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def _source_messages(root) -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(root), method_map=_method_map(root), keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _method_map(root):
    methods = []
    for line in (root / "babel.cfg").read_text().splitlines():
        if line.startswith("["):
            method, pattern = line.strip("[]").split(":")
            methods.append((pattern.strip(), method.strip()))
    return methods


def test_every_message_in_the_code_has_a_polish_translation(root_dir):
    with (root_dir / "translations/pl/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalog
        if message.id and message.string and all(message.string) and not message.fuzzy
    }
    missing = _source_messages(root_dir) - translated
    assert sorted(missing) == []


def test_polish_translations_keep_every_placeholder(root_dir):
    with (root_dir / "translations/pl/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    problems = [(message.id, errors) for message, errors in catalog.check()]
    assert problems == []


def test_money_is_whole_pounds_in_the_readers_format(app):
    assert money(50000, "en_GB") == "£50,000"
    assert money(1250, "en_GB") == "£1,250"
    assert money(50000, "pl").replace("\xa0", " ") == "50 000 £"
