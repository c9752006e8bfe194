"""The publication file: one place for the newsletter's name, colours and sender."""

from __future__ import annotations

import os

import pytest

from gnews_i18n.config import load_settings
from gnews_i18n.newsletter.mail import MailSettings
from gnews_i18n.publication import PublicationError, contrast_ratio, load_publication


def test_the_shipped_file_names_the_sample_newsletter_in_both_languages():
    publication = load_publication()
    assert publication.name("en") == "Medical Gyeonggi e-News"
    assert publication.name("ko") == "메디컬경기 e-뉴스"
    assert publication.name("uz") == publication.name(publication.default_lang)  # no Uzbek name: the default's


def test_an_operator_file_is_read_again_when_it_changes(tmp_path, monkeypatch):
    path = tmp_path / "publication.toml"
    path.write_text('[name]\nen = "Health Weekly"\n'
                    '[sender]\nname = "Health Weekly desk"\naddress = "desk@example.org"\n')
    monkeypatch.setenv("GNEWS_PUBLICATION", str(path))
    assert load_publication().name("ko") == "Health Weekly"
    mail = MailSettings.load(load_settings())
    assert (mail.sender, mail.sender_name) == ("desk@example.org", "Health Weekly desk")
    path.write_text('[name]\nen = "Health Monthly"\n')
    os.utime(path, ns=(1, 2_000_000_000_000_000_000))  # a different mtime even within one clock tick
    assert load_publication().name("en") == "Health Monthly"


@pytest.mark.parametrize("text, expected", [
    ('[name\nen = "x"', "not a valid TOML file"),
    ('[description]\nen = "x"\n', "[name] needs the newsletter's name"),
    ('[name]\nen = "x"\n[colours]\naccent = "#cccccc"\n', "colours.accent on colours.background has contrast 1.6"),
    ('[name]\nen = "x"\n[colours]\nlink = "#000000"\n', "colours.link is not a colour the site uses"),
    ('[name]\nen = "x"\n[colours]\ntext = "black"\n', "colours.text = 'black' is not a #rrggbb colour"),
])
def test_a_file_that_cannot_be_used_is_refused_naming_the_file_and_the_key(tmp_path, text, expected):
    path = tmp_path / "pub.toml"
    path.write_text(text)
    with pytest.raises(PublicationError) as error:
        load_publication(path)
    assert str(path) in str(error.value) and expected in str(error.value)


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-fails grey
