"""The personal data registry (workshop_portal.personal_data) that each app fills from its privacy.py."""

import dataclasses

from workshop_portal import personal_data


def test_each_app_registers_its_source_in_the_order_of_installed_apps():
    # Erasure and purge walk this list backwards: the reports app reads a name before the
    # registrations app anonymises it, the outbox deletes the emails to the person's address
    # before the account forgets it, and the account closes last.
    assert [source.key for source in personal_data.sources()] == [
        "account",
        "audit",
        "communications_preferences",  # the addresses that unsubscribed (read by the address)
        "communications",
        "registrations",
        "presentations",
        "reports",
        "delegations",
        "documents",  # it reads the registrations the registrations app anonymises
        "outcomes.answers",  # registration and survey answers
        "outcomes.followup",  # follow-up updates' authors, the board's contact points
        "api",  # tokens and calendar feed: erased first, nothing else reads them
    ]


def test_registering_a_key_again_replaces_it_in_place():
    before = personal_data.sources()
    account = before[0]
    try:
        personal_data.register(dataclasses.replace(account, title="Replaced"))
        after = personal_data.sources()
        assert [source.key for source in after] == [source.key for source in before]
        assert after[0].title == "Replaced"
    finally:
        personal_data.register(account)
    assert personal_data.sources() == before
