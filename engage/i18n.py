"""Choosing the language, and formatting money and dates the way the reader expects."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import format_currency
from flask import Flask, current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

LOCALE_COOKIE = "engage_locale"


def select_locale() -> str:
    """The person's choice (cookie), then their saved preference, then Accept-Language."""
    languages = current_app.config["LANGUAGES"]
    if request:
        chosen = request.cookies.get(LOCALE_COOKIE)
        if chosen is not None and chosen in languages:
            return chosen
        best = request.accept_languages.best_match(_accept_language_tags(languages))
        if best:
            return _tag_to_locale(best, languages)
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _accept_language_tags(languages: dict[str, str]) -> list[str]:
    tags = []
    for code in languages:
        tags.append(code.replace("_", "-"))
        tags.append(code.split("_")[0])
    return tags


def _tag_to_locale(tag: str, languages: dict[str, str]) -> str:
    base = tag.replace("-", "_").split("_")[0]
    return next(code for code in languages if code.split("_")[0] == base)


def current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def html_lang() -> str:
    return current_locale().replace("_", "-")


def money(amount: int | Decimal, locale: str | None = None) -> str:
    """Whole pounds in the locale's own pattern: `£50,000` in English, `50 000 £` in Polish.
    The sign is always £ (CLDR would write `GBP` in Polish; our readers live in the UK)."""
    loc = Locale.parse(locale or current_locale())
    pattern = loc.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    pattern = pattern.replace("¤", "'£'")
    return format_currency(amount, "GBP", format=pattern, locale=loc, currency_digits=False)


def money_pence(amount: float | Decimal, locale: str | None = None) -> str:
    """Pounds and pence in the locale's own pattern: `£1,250.50`."""
    loc = Locale.parse(locale or current_locale())
    pattern = loc.currency_formats["standard"].pattern.split(";")[0].replace("¤", "'£'")
    return format_currency(amount, "GBP", format=pattern, locale=loc)


def london_now() -> datetime:
    """Wall-clock time where the services are, for "open now"."""
    return datetime.now(ZoneInfo("Europe/London")).replace(tzinfo=None)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["money_pence"] = money_pence
    app.jinja_env.globals.update(
        html_lang=html_lang,
        current_locale=current_locale,
        in_reader_language=in_reader_language,
        reader_text=reader_text,
        term_name=lambda term: term.label(current_locale()),
    )


def reader_text(english: str, polish: str) -> str:
    """The Polish version for a Polish reader when there is one (for a page title or a
    link), otherwise the English."""
    return polish if polish and current_locale().startswith("pl") else english


def in_reader_language(english: str, polish: str, tag: str = "span", classes: str = "") -> Markup:
    """Text an officer or provider entered, in the reader's language: the Polish version for
    a Polish reader when there is one; otherwise the English, marked "(in English)" and with
    `lang="en"`, so a screen reader reads it in an English voice."""
    attributes = Markup(' class="{}"').format(classes) if classes else Markup("")
    if not current_locale().startswith("pl"):
        return Markup("<{0}{1}>{2}</{0}>").format(Markup(tag), attributes, english)
    if polish:
        return Markup("<{0}{1}>{2}</{0}>").format(Markup(tag), attributes, polish)
    marked = Markup(
        '<{0}{1} lang="en">{2} <span class="engage-in-english" lang="{3}">{4}</span></{0}>'
    )
    return marked.format(Markup(tag), attributes, english, html_lang(), _("(in English)"))
