"""A starter list of real OIC institutions, international organisations and national cooperation agencies.

Organisers add the others (ministries, agencies of each delegation) in the admin.
"""

from django.db import migrations

OIC = "oic"
INTERNATIONAL = "international"
NATIONAL = "national"

INSTITUTIONS = (
    # (name, acronym, kind, member state, website)
    ("Organisation of Islamic Cooperation General Secretariat", "OIC", OIC, None, "https://www.oic-oci.org"),
    ("COMCEC Coordination Office", "CCO", OIC, None, "https://www.comcec.org"),
    (
        "Statistical, Economic and Social Research and Training Centre for Islamic Countries",
        "SESRIC",
        OIC,
        None,
        "https://www.sesric.org",
    ),
    ("Islamic Development Bank", "IsDB", OIC, None, "https://www.isdb.org"),
    ("Islamic Centre for Development of Trade", "ICDT", OIC, None, "https://www.icdt-cidc.org"),
    ("Islamic Chamber of Commerce, Industry and Agriculture", "ICCIA", OIC, None, "https://iccia.com"),
    ("Islamic Solidarity Fund", "ISF", OIC, None, ""),
    ("Islamic University of Technology", "IUT", OIC, None, "https://www.iutoic-dhaka.edu"),
    ("Islamic World Educational, Scientific and Cultural Organization", "ICESCO", OIC, None, "https://www.icesco.org"),
    ("Standards and Metrology Institute for Islamic Countries", "SMIIC", OIC, None, "https://www.smiic.org"),
    ("International Islamic Trade Finance Corporation", "ITFC", OIC, None, "https://www.itfc-idb.org"),
    ("Islamic Corporation for the Development of the Private Sector", "ICD", OIC, None, "https://icd-ps.org"),
    (
        "Islamic Corporation for the Insurance of Investment and Export Credit",
        "ICIEC",
        OIC,
        None,
        "https://iciec.isdb.org",
    ),
    ("Islamic Organization for Food Security", "IOFS", OIC, None, "https://www.iofs.org.kz"),
    ("Research Centre for Islamic History, Art and Culture", "IRCICA", OIC, None, "https://www.ircica.org"),
    ("United Nations Development Programme", "UNDP", INTERNATIONAL, None, "https://www.undp.org"),
    ("World Bank", "WB", INTERNATIONAL, None, "https://www.worldbank.org"),
    ("Asian Development Bank", "ADB", INTERNATIONAL, None, "https://www.adb.org"),
    ("European Bank for Reconstruction and Development", "EBRD", INTERNATIONAL, None, "https://www.ebrd.com"),
    (
        "United Nations Economic and Social Commission for Asia and the Pacific",
        "ESCAP",
        INTERNATIONAL,
        None,
        "https://www.unescap.org",
    ),
    ("United Nations Economic Commission for Europe", "UNECE", INTERNATIONAL, None, "https://unece.org"),
    ("United Nations Conference on Trade and Development", "UNCTAD", INTERNATIONAL, None, "https://unctad.org"),
    ("Food and Agriculture Organization of the United Nations", "FAO", INTERNATIONAL, None, "https://www.fao.org"),
    ("International Labour Organization", "ILO", INTERNATIONAL, None, "https://www.ilo.org"),
    ("Organization for Security and Co-operation in Europe", "OSCE", INTERNATIONAL, None, "https://www.osce.org"),
    ("Turkish Cooperation and Coordination Agency", "TİKA", NATIONAL, "TR", "https://www.tika.gov.tr"),
    ("Saudi Fund for Development", "SFD", NATIONAL, "SA", "https://www.sfd.gov.sa"),
    ("Kuwait Fund for Arab Economic Development", "KFAED", NATIONAL, "KW", "https://www.kuwait-fund.org"),
    ("Abu Dhabi Fund for Development", "ADFD", NATIONAL, "AE", "https://www.adfd.ae"),
    ("Qatar Fund for Development", "QFFD", NATIONAL, "QA", "https://qatarfund.org.qa"),
    ("Malaysian Technical Cooperation Programme", "MTCP", NATIONAL, "MY", ""),
    ("Azerbaijan International Development Agency", "AIDA", NATIONAL, "AZ", ""),
    ("Egyptian Agency of Partnership for Development", "EAPD", NATIONAL, "EG", ""),
    ("Kazakhstan Agency for International Development", "KazAID", NATIONAL, "KZ", ""),
)


def load(apps, schema_editor):
    Institution = apps.get_model("workshop_portal", "Institution")
    MemberState = apps.get_model("workshop_portal", "MemberState")
    states = {state.code: state for state in MemberState.objects.all()}
    for name, acronym, kind, state_code, website in INSTITUTIONS:
        Institution.objects.update_or_create(
            name=name,
            defaults={
                "acronym": acronym,
                "kind": kind,
                "member_state": states[state_code] if state_code else None,
                "website": website,
            },
        )


def unload(apps, schema_editor):
    names = [row[0] for row in INSTITUTIONS]
    apps.get_model("workshop_portal", "Institution").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("workshop_portal", "0002_member_states")]

    operations = [migrations.RunPython(load, unload)]
