import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from testkit.factories import UserFactory, member_state
from workshop_portal.enums import InstitutionKind
from workshop_portal.models import Institution, MemberState, User

pytestmark = pytest.mark.django_db


def test_member_states_are_the_57_oic_members_with_five_central_asian():
    assert MemberState.objects.count() == 57
    central_asian = {state.code.code for state in MemberState.objects.central_asian()}
    assert central_asian == {"KZ", "KG", "TJ", "TM", "UZ"}


def test_member_state_names_follow_oic_usage():
    assert member_state("KG").name == "Kyrgyz Republic"
    assert member_state("TR").name == "Türkiye"
    assert str(member_state("KZ")) == "Kazakhstan"


def test_member_state_names_come_translated_from_django_countries():
    with translation.override("fr"):
        assert member_state("TR").name == "Turquie"
    with translation.override("ru"):
        assert member_state("KZ").name == "Казахстан"
    with translation.override("ar"):
        assert member_state("UZ").name == "أوزبكستان"


def test_starter_institutions_are_loaded_by_migration():
    acronyms = set(Institution.objects.values_list("acronym", flat=True))
    assert {"CCO", "SESRIC", "IsDB", "UNDP", "WB", "TİKA"} <= acronyms
    tika = Institution.objects.get(acronym="TİKA")
    assert tika.kind == InstitutionKind.NATIONAL
    assert tika.member_state.code == "TR"
    assert Institution.objects.get(acronym="CCO").member_state is None


def test_national_institution_without_member_state_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Institution.objects.create(name="Ministry without a state", kind=InstitutionKind.NATIONAL)


def test_international_institution_with_member_state_is_refused_with_a_message():
    institution = Institution(name="Global Fund X", kind=InstitutionKind.INTERNATIONAL, member_state=member_state("TR"))
    with pytest.raises(ValidationError) as excinfo:
        institution.full_clean()
    assert "Leave the member state empty" in str(excinfo.value.message_dict["member_state"])


def test_institution_names_are_unique_ignoring_case():
    with pytest.raises(IntegrityError), transaction.atomic():
        Institution.objects.create(name="world bank", kind=InstitutionKind.INTERNATIONAL)


def test_users_log_in_by_email_and_emails_are_unique_ignoring_case():
    UserFactory(email="delegate@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="Delegate@Example.org ".strip().upper(), password="x")


def test_create_user_lowercases_the_email():
    user = User.objects.create_user(email="Head.Of.Delegation@Example.ORG", password="secret-pass-123")
    assert user.email == "head.of.delegation@example.org"
    assert user.check_password("secret-pass-123")
