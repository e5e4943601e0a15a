"""Chinese first: the zh-hans catalogue is complete and compiled."""

import re
from pathlib import Path

import polib
from django.conf import settings
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
