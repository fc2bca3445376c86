"""The starter institutions' official names and acronyms in French, Arabic and Russian.

Forms as the institutions themselves, the OIC (whose languages are Arabic, English and French)
and the United Nations (Arabic, English, French, Russian among them) write them. Where a language
has a name but no acronym in use, the acronym stays empty there: Arabic rarely abbreviates, and
"Banque mondiale" has none. Where no official form is known the column stays empty, and the portal
shows the English name. Only rows still carrying the starter's English name are touched.
"""

from django.db import migrations

# English name: ((name_fr, acronym_fr), (name_ar, acronym_ar), (name_ru, acronym_ru))
OFFICIAL_NAMES = {
    "Organisation of Islamic Cooperation General Secretariat": (
        ("Secrétariat général de l'Organisation de la coopération islamique", "OCI"),
        ("الأمانة العامة لمنظمة التعاون الإسلامي", ""),
        ("Генеральный секретариат Организации исламского сотрудничества", "ОИС"),
    ),
    "COMCEC Coordination Office": (
        ("Bureau de coordination du COMCEC", ""),
        ("مكتب تنسيق الكومسيك", ""),
        ("Координационное бюро КОМСЕК", ""),
    ),
    "Statistical, Economic and Social Research and Training Centre for Islamic Countries": (
        (
            "Centre de recherches statistiques, économiques et sociales et de formation pour les pays islamiques",
            "SESRIC",
        ),
        ("مركز الأبحاث الإحصائية والاقتصادية والاجتماعية والتدريب للدول الإسلامية", ""),
        (
            "Центр статистических, экономических и социальных исследований и подготовки кадров для исламских стран",
            "СЕСРИК",
        ),
    ),
    "Islamic Development Bank": (
        ("Banque islamique de développement", "BID"),
        ("البنك الإسلامي للتنمية", ""),
        ("Исламский банк развития", "ИсБР"),
    ),
    "Islamic Centre for Development of Trade": (
        ("Centre islamique pour le développement du commerce", "CIDC"),
        ("المركز الإسلامي لتنمية التجارة", ""),
        ("Исламский центр развития торговли", "ИЦРТ"),
    ),
    "Islamic Chamber of Commerce, Industry and Agriculture": (
        ("Chambre islamique de commerce, d'industrie et d'agriculture", "CICIA"),
        ("الغرفة الإسلامية للتجارة والصناعة والزراعة", ""),
        ("Исламская торгово-промышленная и сельскохозяйственная палата", ""),
    ),
    "Islamic Solidarity Fund": (
        ("Fonds de solidarité islamique", "FSI"),
        ("صندوق التضامن الإسلامي", ""),
        ("Исламский фонд солидарности", ""),
    ),
    "Islamic University of Technology": (
        ("Université islamique de technologie", "UIT"),
        ("الجامعة الإسلامية للتكنولوجيا", ""),
        ("Исламский технологический университет", ""),
    ),
    "Islamic World Educational, Scientific and Cultural Organization": (
        ("Organisation du monde islamique pour l'éducation, les sciences et la culture", "ICESCO"),
        ("منظمة العالم الإسلامي للتربية والعلوم والثقافة", "إيسيسكو"),
        ("Организация исламского мира по вопросам образования, науки и культуры", "ИСЕСКО"),
    ),
    "Standards and Metrology Institute for Islamic Countries": (
        ("Institut de normalisation et de métrologie pour les pays islamiques", "INMPI"),
        ("معهد المواصفات والمقاييس للدول الإسلامية", ""),
        ("Институт стандартов и метрологии исламских стран", ""),
    ),
    "International Islamic Trade Finance Corporation": (
        ("Société internationale islamique de financement du commerce", "SIFC"),
        ("المؤسسة الدولية الإسلامية لتمويل التجارة", ""),
        ("Международная исламская торгово-финансовая корпорация", ""),
    ),
    "Islamic Corporation for the Development of the Private Sector": (
        ("Société islamique pour le développement du secteur privé", "SID"),
        ("المؤسسة الإسلامية لتنمية القطاع الخاص", ""),
        ("Исламская корпорация по развитию частного сектора", ""),
    ),
    "Islamic Corporation for the Insurance of Investment and Export Credit": (
        ("Société islamique d'assurance des investissements et des crédits à l'exportation", "SIACE"),
        ("المؤسسة الإسلامية لتأمين الاستثمار وائتمان الصادرات", ""),
        ("Исламская корпорация по страхованию инвестиций и экспортных кредитов", ""),
    ),
    "Islamic Organization for Food Security": (
        ("Organisation islamique pour la sécurité alimentaire", "OISA"),
        ("المنظمة الإسلامية للأمن الغذائي", ""),
        ("Исламская организация по продовольственной безопасности", "ИОПБ"),
    ),
    "Research Centre for Islamic History, Art and Culture": (
        ("Centre de recherches sur l'histoire, l'art et la culture islamiques", "IRCICA"),
        ("مركز الأبحاث للتاريخ والفنون والثقافة الإسلامية", "إرسيكا"),
        ("Исследовательский центр исламской истории, искусства и культуры", "ИРСИКА"),
    ),
    "United Nations Development Programme": (
        ("Programme des Nations Unies pour le développement", "PNUD"),
        ("برنامج الأمم المتحدة الإنمائي", ""),
        ("Программа развития Организации Объединенных Наций", "ПРООН"),
    ),
    "World Bank": (
        ("Banque mondiale", ""),
        ("البنك الدولي", ""),
        ("Всемирный банк", ""),
    ),
    "Asian Development Bank": (
        ("Banque asiatique de développement", "BAsD"),
        ("مصرف التنمية الآسيوي", ""),
        ("Азиатский банк развития", "АБР"),
    ),
    "European Bank for Reconstruction and Development": (
        ("Banque européenne pour la reconstruction et le développement", "BERD"),
        ("البنك الأوروبي للإنشاء والتعمير", ""),
        ("Европейский банк реконструкции и развития", "ЕБРР"),
    ),
    "United Nations Economic and Social Commission for Asia and the Pacific": (
        ("Commission économique et sociale des Nations Unies pour l'Asie et le Pacifique", "CESAP"),
        ("اللجنة الاقتصادية والاجتماعية لآسيا والمحيط الهادئ", "الإسكاب"),
        ("Экономическая и социальная комиссия Организации Объединенных Наций для Азии и Тихого океана", "ЭСКАТО"),
    ),
    "United Nations Economic Commission for Europe": (
        ("Commission économique des Nations Unies pour l'Europe", "CEE-ONU"),
        ("لجنة الأمم المتحدة الاقتصادية لأوروبا", ""),
        ("Европейская экономическая комиссия Организации Объединенных Наций", "ЕЭК ООН"),
    ),
    "United Nations Conference on Trade and Development": (
        ("Conférence des Nations Unies sur le commerce et le développement", "CNUCED"),
        ("مؤتمر الأمم المتحدة للتجارة والتنمية", "الأونكتاد"),
        ("Конференция Организации Объединенных Наций по торговле и развитию", "ЮНКТАД"),
    ),
    "Food and Agriculture Organization of the United Nations": (
        ("Organisation des Nations Unies pour l'alimentation et l'agriculture", "FAO"),
        ("منظمة الأغذية والزراعة للأمم المتحدة", "الفاو"),
        ("Продовольственная и сельскохозяйственная организация Объединенных Наций", "ФАО"),
    ),
    "International Labour Organization": (
        ("Organisation internationale du Travail", "OIT"),
        ("منظمة العمل الدولية", ""),
        ("Международная организация труда", "МОТ"),
    ),
    "Organization for Security and Co-operation in Europe": (
        ("Organisation pour la sécurité et la coopération en Europe", "OSCE"),
        ("منظمة الأمن والتعاون في أوروبا", ""),
        ("Организация по безопасности и сотрудничеству в Европе", "ОБСЕ"),
    ),
    "Turkish Cooperation and Coordination Agency": (
        ("Agence turque de coopération et de coordination", "TİKA"),
        ("الوكالة التركية للتعاون والتنسيق", "تيكا"),
        ("Турецкое агентство по сотрудничеству и координации", "ТИКА"),
    ),
    "Saudi Fund for Development": (
        ("Fonds saoudien pour le développement", "FSD"),
        ("الصندوق السعودي للتنمية", ""),
        ("Саудовский фонд развития", ""),
    ),
    "Kuwait Fund for Arab Economic Development": (
        ("Fonds koweïtien pour le développement économique arabe", "FKDEA"),
        ("الصندوق الكويتي للتنمية الاقتصادية العربية", ""),
        ("Кувейтский фонд арабского экономического развития", ""),
    ),
    "Abu Dhabi Fund for Development": (
        ("Fonds d'Abou Dhabi pour le développement", "FADD"),
        ("صندوق أبوظبي للتنمية", ""),
        ("Абу-Дабийский фонд развития", ""),
    ),
    "Qatar Fund for Development": (
        ("Fonds du Qatar pour le développement", ""),
        ("صندوق قطر للتنمية", ""),
        ("Катарский фонд развития", ""),
    ),
    "Egyptian Agency of Partnership for Development": (
        ("Agence égyptienne de partenariat pour le développement", ""),
        ("الوكالة المصرية للشراكة من أجل التنمية", ""),
        ("Египетское агентство партнерства в целях развития", ""),
    ),
    "Azerbaijan International Development Agency": (
        ("", ""),
        ("", ""),
        ("Азербайджанское агентство международного развития", "AIDA"),
    ),
    "Kazakhstan Agency for International Development": (
        ("", ""),
        ("", ""),
        ("Казахстанское агентство международного развития", "KazAID"),
    ),
}

LANGUAGES = ("fr", "ar", "ru")


def load(apps, schema_editor):
    Institution = apps.get_model("workshop_portal", "Institution")
    for institution in Institution.objects.filter(name__in=OFFICIAL_NAMES):
        for language, (name, acronym) in zip(LANGUAGES, OFFICIAL_NAMES[institution.name], strict=True):
            # An organiser may already have typed a form: theirs stays.
            if not getattr(institution, f"name_{language}") and not getattr(institution, f"acronym_{language}"):
                setattr(institution, f"name_{language}", name)
                setattr(institution, f"acronym_{language}", acronym)
        institution.save()


class Migration(migrations.Migration):
    dependencies = [("workshop_portal", "0005_user_language_institution_names")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
