"""The default letters a new workshop starts with, in each of the portal's languages.

These are data, not messages of the portal: they are copied into each workshop's letter texts
(delegations.letters.letters_lay_out_defaults) and edited there in the admin. Placeholders in
braces are those of delegations.letters.PLACEHOLDERS. The wording avoids what a placeholder
cannot agree with: a state's name stands where no article or case ending depends on it (French
and Russian decline or articulate country names), and the Russian addressee is in the dative, as
a Russian note verbale names it.
"""

from delegations.enums import LetterKind

INVITATION = {
    "en": """\
The Secretariat of the workshop presents its compliments to the {addressee} and has the honour to invite a \
delegation of {state} to take part in the **{workshop}**, to be held at {venue} on {dates}.

The workshop brings together member states of the Organisation of Islamic Cooperation and their partner \
institutions to review their technical cooperation, to share best practices and to explore partnership models \
for the years ahead.

The number of seats offered to the delegation is {seats}. The Secretariat would be grateful if the names and \
positions of the delegates could be communicated through the focal point designated for this purpose no later \
than {nomination_deadline}. Each delegate so nominated will receive a personal invitation to complete their \
registration on the workshop portal.

The Secretariat of the workshop avails itself of this opportunity to renew to the {addressee} the assurances \
of its highest consideration.
""",
    "fr": """\
Le Secrétariat de l'atelier présente ses compliments au {addressee} et a l'honneur d'inviter une délégation \
({state}) à prendre part à l'atelier **{workshop}**, qui se tiendra à l'adresse suivante : {venue} ({dates}).

L'atelier réunit des États membres de l'Organisation de la coopération islamique et leurs institutions \
partenaires afin de faire le point sur leur coopération technique, de partager leurs bonnes pratiques et \
d'étudier des modèles de partenariat pour les années à venir.

Le nombre de places offertes à la délégation est de {seats}. Le Secrétariat saurait gré de bien vouloir lui \
communiquer les noms et fonctions des délégués, par l'intermédiaire du correspondant désigné à cet effet, au plus \
tard le {nomination_deadline}. Chaque délégué ainsi désigné recevra une invitation personnelle à compléter son \
inscription sur le portail de l'atelier.

Le Secrétariat de l'atelier saisit cette occasion pour renouveler au {addressee} les assurances de sa très \
haute considération.
""",
    "ar": """\
تهدي أمانة الورشة أطيب تحياتها إلى {addressee}، وتتشرف بدعوة وفد {state} إلى المشاركة في ورشة \
العمل **{workshop}**، التي ستُعقد في {venue} بتاريخ {dates}.

وتجمع الورشة الدول الأعضاء في منظمة التعاون الإسلامي والمؤسسات الشريكة لها بهدف استعراض تعاونها الفني، \
وتبادل أفضل الممارسات، واستكشاف نماذج الشراكة للسنوات المقبلة.

ويبلغ عدد المقاعد المخصصة للوفد {seats}. وترجو الأمانة التكرّم بموافاتها بأسماء أعضاء الوفد ومناصبهم، \
عن طريق المنسّق المعيّن لهذا الغرض، في موعد أقصاه {nomination_deadline}. وسيتلقى كل مندوب يتم ترشيحه \
دعوة شخصية لاستكمال تسجيله في بوابة الورشة.

وتغتنم أمانة الورشة هذه المناسبة لتعرب مجددًا إلى {addressee} عن فائق تقديرها واحترامها.
""",
    "ru": """\
Секретариат семинара свидетельствует своё уважение {addressee} и имеет честь пригласить делегацию \
({state}) принять участие в мероприятии **«{workshop}»**, которое состоится по адресу: {venue} ({dates}).

Семинар объединяет государства — члены Организации исламского сотрудничества и их партнёрские организации \
для обзора технического сотрудничества, обмена передовым опытом и поиска моделей партнёрства на предстоящие годы.

Число мест, предоставляемых делегации: {seats}. Секретариат был бы признателен за сообщение фамилий и \
должностей членов делегации через назначенного для этой цели координатора не позднее {nomination_deadline}. \
Каждый выдвинутый таким образом делегат получит личное приглашение завершить регистрацию на портале семинара.

Секретариат семинара пользуется случаем, чтобы возобновить {addressee} уверения в своём высоком уважении.
""",
}

VISA = {
    "en": """\
The Secretariat of the workshop presents its compliments to the competent consular authorities and has the \
honour to confirm that **{holder}**, a member of the delegation of {state}, is a registered participant in \
the **{workshop}**, to be held at {venue} on {dates}.

The participant's passport details are as follows:

- name as in the passport: {passport_name}
- nationality: {nationality}
- passport number: {passport_number}

The Secretariat would be grateful if the competent authorities could kindly extend every assistance to the \
above-named participant in obtaining an entry visa for a stay from {stay_from} to {stay_to}.

The Secretariat of the workshop avails itself of this opportunity to renew to the competent authorities the \
assurances of its highest consideration.
""",
    "fr": """\
Le Secrétariat de l'atelier présente ses compliments aux autorités consulaires compétentes et a l'honneur de \
certifier que **{holder}**, membre de la délégation ({state}), est inscrit(e) en qualité de participant(e) à \
l'atelier **{workshop}**, qui se tiendra à l'adresse suivante : {venue} ({dates}).

Les données du passeport de l'intéressé(e) sont les suivantes :

- nom tel qu'il figure sur le passeport : {passport_name}
- nationalité : {nationality}
- numéro du passeport : {passport_number}

Le Secrétariat saurait gré aux autorités compétentes de bien vouloir accorder toute facilité à l'intéressé(e) \
pour l'obtention d'un visa d'entrée couvrant un séjour du {stay_from} au {stay_to}.

Le Secrétariat de l'atelier saisit cette occasion pour renouveler aux autorités compétentes les assurances de \
sa très haute considération.
""",
    "ar": """\
تهدي أمانة الورشة أطيب تحياتها إلى السلطات القنصلية المختصة، وتتشرف بأن تشهد بأن **{holder}**، عضو وفد {state}، \
مسجَّل مشاركًا في ورشة العمل **{workshop}**، التي ستُعقد في {venue} بتاريخ {dates}.

وفيما يلي بيانات جواز سفر المشارك:

- الاسم كما هو مدوَّن في جواز السفر: {passport_name}
- الجنسية: {nationality}
- رقم جواز السفر: {passport_number}

وستكون الأمانة ممتنة لو تفضلت السلطات المختصة بتقديم كل التسهيلات الممكنة للمشارك المذكور أعلاه للحصول على \
تأشيرة دخول لإقامة تمتد من {stay_from} إلى {stay_to}.

وتغتنم أمانة الورشة هذه المناسبة لتعرب مجددًا للسلطات المختصة عن فائق تقديرها واحترامها.
""",
    "ru": """\
Секретариат семинара свидетельствует своё уважение компетентным консульским органам и имеет честь \
подтвердить, что **{holder}**, член делегации ({state}), зарегистрирован(а) в качестве участника мероприятия \
**«{workshop}»**, которое состоится по адресу: {venue} ({dates}).

Паспортные данные участника:

- имя и фамилия, как в паспорте: {passport_name}
- гражданство: {nationality}
- номер паспорта: {passport_number}

Секретариат был бы признателен компетентным органам за содействие указанному участнику в получении въездной \
визы на период пребывания с {stay_from} по {stay_to}.

Секретариат семинара пользуется случаем, чтобы возобновить компетентным органам уверения в своём высоком \
уважении.
""",
}

TEXTS = {LetterKind.INVITATION: INVITATION, LetterKind.VISA: VISA}

# The addressee of an invitation when its delegation names none: {name} is the state's or the
# institution's name in that language. Neutral forms (no article or case ending hangs on the name).
STATE_ADDRESSEE = {
    "en": "Ministry of Foreign Affairs of {name}",
    "fr": "Ministère des Affaires étrangères ({name})",
    "ar": "وزارة خارجية {name}",
    "ru": "Министерству иностранных дел ({name})",
}
INSTITUTION_ADDRESSEE = {
    "en": "{name}",
    "fr": "Secrétariat général ({name})",
    "ar": "{name}",
    "ru": "Секретариату ({name})",
}

# The addressee line of a visa support letter.
VISA_ADDRESSEE = {
    "en": "To the competent consular authorities",
    "fr": "Aux autorités consulaires compétentes",
    "ar": "إلى السلطات القنصلية المختصة",
    "ru": "Компетентным консульским органам",
}

# The signatory a new workshop starts with (the organisers name the person in the admin).
SIGNATORY_TITLE = {
    "en": "Head of the Secretariat of the workshop",
    "fr": "Chef du Secrétariat de l'atelier",
    "ar": "رئيس أمانة الورشة",
    "ru": "Руководитель секретариата семинара",
}


def default_text(kind: str, language: str) -> str:
    """The default text of a letter in a language (English where the portal has no default)."""
    texts = TEXTS[LetterKind(kind)]
    return texts.get(language, texts["en"])
