"""What a bulk action in the admin says about the objects it left as they were, in Arabic: the
names are listed with the Arabic comma and each Latin name isolated (Unicode FSI … PDI, the
message being plain text), as every other list the portal writes in Arabic."""

from django.core.exceptions import ValidationError
from django.utils import translation

from workshop_portal.admin_actions import apply_to_each, refusal_messages

NAMES = ["Aigerim Bekova", "Dana Sarsenova (MFA)", "Nurlan Saginbayev"]


def _refused_line(language: str) -> str:
    def refuse(name):
        raise ValidationError("مكتمل")

    with translation.override(language):
        outcome = apply_to_each(NAMES, refuse, status_of=lambda name: "", name_of=lambda name: name)
        ((_level, line),) = refusal_messages(outcome, lambda n: "%(count)d: %(names)s — %(reason)s")
    return line


def test_an_arabic_message_lists_the_names_with_the_arabic_comma_each_isolated():
    line = _refused_line("ar")
    assert "، ".join(f"\u2068{name}\u2069" for name in NAMES) in line
    assert ", " not in line


def test_a_russian_message_lists_the_names_with_a_comma():
    assert ", ".join(NAMES) in _refused_line("ru")


def test_a_long_list_stops_after_five_names_in_arabic_too():
    def refuse(name):
        raise ValidationError("x")

    listed = [f"Delegate {number}" for number in range(1, 8)]
    with translation.override("ar"):
        outcome = apply_to_each(listed, refuse, status_of=lambda name: "", name_of=lambda name: name)
        ((_level, line),) = refusal_messages(outcome, lambda n: "%(names)s")
    assert line.count("\u2068") == 5
    assert line.endswith("، …")
