"""Unsubscribing from optional emails: the signed link (no sign-in needed) and the person's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from communications.forms import EmailPreferencesForm
from communications.unsubscribe import opt_in, opt_out, opt_outs_of, unsubscribe_read
from workshop_portal.models import Workshop


# No CSRF token: RFC 8058's one-click POST comes from the recipient's mail provider, and the signed
# token in the address is what authorises it (it can only unsubscribe the address it names).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, signed_token):
    try:
        address, workshop_id = unsubscribe_read(signed_token)
    except signing.BadSignature:
        return render(request, "communications/unsubscribe_invalid.html", status=400)
    workshop = Workshop.objects.filter(pk=workshop_id).only("title").first() if workshop_id else None
    # The link came from a workshop deleted since: it sends nothing more. A one-click POST from a
    # mail program must not turn that into "no optional email from any workshop"; only the
    # person's explicit choice does.
    workshop_gone = workshop_id is not None and workshop is None
    done = False
    if request.method == "POST":
        everywhere = request.POST.get("scope") == "all" or workshop_id is None
        if everywhere or workshop is not None:
            opt_out(address, None if everywhere else workshop.pk)
            done = True
    return render(
        request,
        "communications/unsubscribe.html",
        {"address": address, "workshop": workshop, "workshop_gone": workshop_gone, "done": done},
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """The signed-in person's choice: optional messages or not (any workshop), and the workshops
    they unsubscribed from, each to take back."""
    address = request.user.email
    rows = list(opt_outs_of(address))
    everywhere = any(row.workshop_id is None for row in rows)
    if request.method == "POST":
        form = EmailPreferencesForm(request.POST)
        if form.is_valid():
            resubscribe = form.cleaned_data["resubscribe_workshop"]
            if resubscribe:
                opt_in(address, resubscribe.pk)
            elif form.cleaned_data["optional_messages"]:
                opt_in(address, None)
            else:
                opt_out(address, None)
            messages.success(request, _("Your email preferences are saved."))
            return redirect("communications:preferences")
    else:
        form = EmailPreferencesForm(initial={"optional_messages": not everywhere})
    return render(
        request,
        "communications/preferences.html",
        {"form": form, "workshops": [row.workshop for row in rows if row.workshop_id], "everywhere": everywhere},
    )
