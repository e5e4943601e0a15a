"""Chinese first: the zh-hans catalogue is complete and compiled."""

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
