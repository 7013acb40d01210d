"""Outside addresses (the book shop, the donation provider) come from settings and appear only when set."""

import json

import pytest

from conftest import ROOT, Site, build, text_of

SHOP = "https://shop.example/chakra-care?ref=site&x=1"
DONATE = "https://donate.example/nancy"


@pytest.fixture(scope="module")
def site_with_addresses(tmp_path_factory) -> Site:
    output = tmp_path_factory.mktemp("with-addresses")
    result = build(ROOT, output, "-e", f"BOOK_PURCHASE_URL={json.dumps(SHOP)}", f"DONATION_URL={json.dumps(DONATE)}")
    assert result.returncode == 0, result.stdout + result.stderr
    return Site(output, result)


def test_the_book_page_links_to_the_shop_only_when_it_is_set(site, site_with_addresses):
    assert site.soup("chakra-care.html").find("a", href=SHOP) is None
    link = site_with_addresses.soup("chakra-care.html").find("a", href=SHOP)
    assert link is not None and text_of(link) == "Learn more or buy it here"
    assert "noopener" in link["rel"]


def test_the_support_page_links_to_the_donation_provider_only_when_it_is_set(site, site_with_addresses):
    assert site.soup("support.html").find("a", href=DONATE) is None
    link = site_with_addresses.soup("support.html").find("a", href=DONATE)
    assert link is not None and text_of(link) == "Donate" and "noopener" in link["rel"]


def test_with_a_donation_address_every_page_but_support_asks_with_a_donate_link_beside_the_ask(
    site_with_addresses,
):
    assert "DONATION_URL is not set" not in site_with_addresses.result.stdout
    for page in site_with_addresses.html_pages:
        banner = site_with_addresses.soup(page).select_one("footer .donation-banner")
        if page == "support.html":
            assert banner is None
            continue
        assert "please consider supporting it with a donation" in text_of(banner), page
        donate = banner.find("a", href=DONATE)
        assert donate is not None and text_of(donate) == "Donate" and "noopener" in donate["rel"], page
        assert (
            site_with_addresses.resolve(page, banner.find("a", string="Support the site")["href"])[0] == "support.html"
        )


def test_a_donation_address_that_is_not_https_fails_the_build_naming_the_setting(tmp_path):
    result = build(ROOT, tmp_path / "out", "-e", 'DONATION_URL="http://donate.example/nancy"')
    assert result.returncode == 1
    assert "pelicanconf.py: DONATION_URL must be an https:// address" in result.stderr
