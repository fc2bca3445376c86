"""The migration that adds letters gives the workshops that exist their settings and texts."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from delegations.letter_defaults import INVITATION
from delegations.letter_models import LetterText
from testkit.factories import WorkshopFactory


# serialized_rollback: the member states and institutions the data migrations wrote come back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_workshops_get_their_letters_from_the_migration():
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    executor.migrate([("delegations", "0001_initial")])
    try:
        workshop = WorkshopFactory(slug="before-letters")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    texts = LetterText.objects.filter(settings__workshop_id=workshop.pk)
    assert texts.count() == 8
    assert texts.get(kind="invitation", language="fr").body == INVITATION["fr"]
    assert texts.first().settings.reference_prefix == "BEFORE-LETTERS"
