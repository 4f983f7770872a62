"""What the report may show of a person: masked e-mail addresses and phone numbers, hashed conversation ids."""
from __future__ import annotations

import pytest

from insights.privacy import Hasher, mask


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("mail me at jo.doe+jobs@example.co.uk please", "mail me at [e-mail] please"),
        ("JANE@EXAMPLE.ORG, or jane_2@mail.example.com", "[e-mail], or [e-mail]"),
        ("call me on +44 20 7946 0958", "call me on [phone]"),
        ("my number is 0176-12345678!", "my number is [phone]!"),
        ("ring (555) 123-4567 after 6", "ring [phone] after 6"),
        ("0049 170 1234567", "[phone]"),
        ("tel:+1-202-555-0143", "tel:[phone]"),
        ("my phone 555 1234", "my phone [phone]"),
        ("12345678", "[phone]"),
    ],
)
def test_e_mail_addresses_and_phone_numbers_are_masked(typed: str, shown: str) -> None:
    assert mask(typed) == shown


@pytest.mark.parametrize(
    "kept",
    ["what did a research scientist earn in 2026?", "3.5 years of a PhD", "a 100% match", "from 2025-2026",
     "on 2026-12-01 at 10:30", "room 12345", "is @home a company?", "about 150,000 a year", "C++ and CUDA 12.2"],
)
def test_years_dates_amounts_and_short_numbers_are_kept(kept: str) -> None:
    assert mask(kept) == kept


def test_conversation_ids_are_hashed_with_a_key_of_the_report_alone() -> None:
    first, second = Hasher(), Hasher()
    assert first("rest:ann") == first("rest:ann") != first("rest:bob")
    assert first("rest:ann") != second("rest:ann")  # no lookup across reports
    assert "ann" not in first("rest:ann") and len(first("rest:ann")) == 12
    assert Hasher(b"k" * 32)("slack:C1:U2") == Hasher(b"k" * 32)("slack:C1:U2")
