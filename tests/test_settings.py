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
