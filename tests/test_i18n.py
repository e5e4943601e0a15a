"""Chinese first: the zh-hans catalogue is complete and compiled."""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "gembahall/locale/zh_Hans/LC_MESSAGES/django.po"


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(CATALOGUE))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_compiled_catalogue_matches_the_source():
    mo = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    po = polib.pofile(str(CATALOGUE))
    assert {e.msgid for e in mo} >= {e.msgid for e in po.translated_entries()}


def test_chinese_is_the_default_language():
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override("zh-hans"):
        assert translation.gettext("Sign in") == "登录"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext")
def test_every_message_of_the_source_is_in_the_catalogue(tmp_path, monkeypatch):
    """The source's messages, gathered as `make messages` would into a copy of
    the catalogue, are all translated there: a label added without its
    translation, or under a context the catalogue lacks, fails here."""
    base = Path(settings.BASE_DIR)
    # makemessages writes scratch files beside the templates it reads, so it
    # runs on a copy of the source.
    for package in ("gembahall", "config"):
        shutil.copytree(
            base / package,
            tmp_path / "src" / package,
            ignore=shutil.ignore_patterns("locale", "static", "__pycache__"),
        )
    locale = tmp_path / "locale"
    (locale / "zh_Hans/LC_MESSAGES").mkdir(parents=True)
    shutil.copy(CATALOGUE, locale / "zh_Hans/LC_MESSAGES/django.po")
    monkeypatch.chdir(tmp_path / "src")
    with override_settings(LOCALE_PATHS=[str(locale)]):
        call_command("makemessages", locale=["zh_Hans"], verbosity=0)
    po = polib.pofile(str(locale / "zh_Hans/LC_MESSAGES/django.po"))
    missing = [
        (e.msgctxt, e.msgid) for e in po.untranslated_entries() + po.fuzzy_entries()
    ]
    assert missing == []


# A half-width , : ; ! ? touching a Chinese character (or a Chinese quote)
# on either side; Chinese text takes the full-width ，：；！？.
HALF_WIDTH = re.compile(
    r"[\u3400-\u9fff\u201c\u201d\u3001-\u303f] ?[,:;!?]"
    r"|[,:;!?] ?[\u3400-\u9fff\u201c\u201d]"
)
# Lists a script splits at the ASCII comma, not sentences.
MACHINE_LISTS = {"Mon,Tue,Wed,Thu,Fri,Sat,Sun"}


def test_chinese_messages_use_full_width_punctuation():
    po = polib.pofile(str(CATALOGUE))
    wrong = [
        (entry.msgid, text)
        for entry in po.translated_entries()
        if entry.msgid not in MACHINE_LISTS
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if HALF_WIDTH.search(text)
    ]
    assert wrong == []
