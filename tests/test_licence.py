"""The project is published under the Mulan Permissive Software License v2."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_licence_file_holds_both_texts_of_mulan_psl_v2():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Gemba Hall is licensed under Mulan PSL v2." in text
    assert "木兰宽松许可证， 第2版" in text
    assert "条款结束" in text
    assert "Mulan Permissive Software License，Version 2 (Mulan PSL v2)" in text
    assert "END OF THE TERMS AND CONDITIONS" in text


def test_the_package_declares_the_licence_and_ships_its_file():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MulanPSL-2.0"
    assert project["license-files"] == ["LICENSE"]


def test_the_readme_names_the_licence():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "MulanPSL-2.0" in readme
    assert "(LICENSE)" in readme
