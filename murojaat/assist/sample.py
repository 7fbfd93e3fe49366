"""The labelled sample the assistants are measured and tested on: HAND-WRITTEN, not real appeals.

Every text below was written by hand for this project from the kinds of appeals the order and
the law describe (no real appeal, author or name is in it). `generate` combines the phrasings
with openers, places and closers, in three scripts: each Uzbek phrasing is written in Latin and
also given in Cyrillic through `core.translit.latin_to_cyrillic`; the Russian phrasings are
written separately. Each record carries the labels a working group would have given:

- ``receiver``: the first receiver the group chose (org code of the shipped tree), with the
  mix a real group has (most rude-doctor complaints go to the regional directorate, some to the
  Inspectorate's division; most shortages to the pharmacy directorate, some to the region);
- ``urgent``: whether the appeal describes an immediate risk to life or health; the sample
  holds hard negatives on purpose ("terrible doctor", an ambulance that came and is thanked,
  insulin that is given, a child's certificate needed "urgently");
- ``group``: the same letter sent again (by the same author, or near-identical letters of a
  campaign from different authors); records with the same non-empty group are duplicates.

The split is fixed: records whose ``id`` ends in 0-6 train, 7-9 are held out (70/30), so the
bench and the tests always measure on letters the model never saw. The figures measured here
are a regression check and a sanity floor; templates are easier than the real appeals the
system is judged on, and the docs say so.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from murojaat.core.translit import latin_to_cyrillic

SAMPLE_PATH = Path(__file__).resolve().parent / "data" / "labelled_sample.json"

REGIONS = [
    "1735", "1703", "1706", "1708", "1710", "1712", "1714",
    "1718", "1722", "1724", "1727", "1730", "1733", "1726",
]  # fmt: skip

PLACES_UZ = [
    "{n}-sonli oilaviy poliklinika",
    "tuman tibbiyot birlashmasi",
    "{n}-sonli shahar kasalxonasi",
    "qishloq vrachlik punkti",
    "markaziy tuman shifoxonasi",
]
PLACES_RU = [
    "семейная поликлиника № {n}",
    "районное медицинское объединение",
    "городская больница № {n}",
    "сельский врачебный пункт",
    "центральная районная больница",
]
OPENERS_UZ = ["Assalomu alaykum.", "Hurmatli vazirlik!", "", "Iltimos, yordam bering.", ""]
CLOSERS_UZ = ["Chora koʻrishingizni soʻrayman.", "Javob kutaman.", "", "Iltimos, tekshiring."]
OPENERS_RU = ["Здравствуйте.", "Уважаемое министерство!", "", "Прошу помочь.", ""]
CLOSERS_RU = ["Прошу принять меры.", "Жду ответа.", "", "Прошу разобраться."]


def _rd(region: str) -> str:
    return f"rd-{region}"


# (code, topic, kind, urgent, receivers [(org or "rd"/"insp", weight)], uz phrasings, ru phrasings)
CATEGORIES: list[dict[str, Any]] = [
    {
        "code": "ambulance_absent",
        "topic": "quality-of-care",
        "kind": "complaint",
        "urgent": True,
        "receivers": [("rd", 0.8), ("centre-emergency", 0.2)],
        "uz": [
            "Otam yurak xuruji boʻldi, tez yordam chaqirdik, ikki soat kutdik, tez yordam kelmadi.",
            "Kecha kechasi 103 ga uch marta qoʻngʻiroq qildik, tez yordam mashinasi yetib "
            "kelmadi, bemor ahvoli ogʻir.",
            "Onam hushidan ketdi, tez tibbiy yordam chaqiruvni qabul qilmadi, operator javob "
            "bermadi.",
            "Qabul boʻlimida navbatchi shifokor ogʻir bemorni qabul qilmadi va uyga qaytardi.",
        ],
        "ru": [
            "Вызвали скорую помощь к отцу с сердечным приступом, скорая не приехала за два часа.",
            "Звонили в 103 три раза, скорая помощь так и не приехала, больной в тяжёлом состоянии.",
            "В приёмном отделении больницы нам отказали в экстренной помощи и отправили домой.",
        ],
    },
    {
        "code": "child_urgent",
        "topic": "maternal-child",
        "kind": "complaint",
        "urgent": True,
        "receivers": [("rd", 0.6), ("centre-paediatrics", 0.3), ("md-mother-child", 0.1)],
        "uz": [
            "Bolamga shoshilinch operatsiya kerak, lekin {place}da navbat bir oy deyishdi.",
            "Ikki yashar bolamning harorati 40, ahvoli ogʻir, shifoxonaga yotqizishmadi.",
            "Chaqaloqqa zudlik bilan reanimatsiya kerak edi, lekin {place}da joy yoʻq deb "
            "rad etishdi.",
        ],
        "ru": [
            "Моему ребёнку нужна срочная операция, но в больнице сказали ждать месяц.",
            "У сына температура 40, состояние тяжёлое, в больнице не госпитализировали.",
            "Новорождённому требовалась срочная помощь, в {place} отказали.",
        ],
    },
    {
        "code": "pregnant_urgent",
        "topic": "maternal-child",
        "kind": "complaint",
        "urgent": True,
        "receivers": [("rd", 0.6), ("centre-obstetrics", 0.3), ("centre-perinatal", 0.1)],
        "uz": [
            "Homilador kelinimga shoshilinch yordam kerak edi, tugʻruqxona qabul qilmadi.",
            "Homilador ayolda qon ketishi boshlandi, tez yordam kelmadi.",
            "Tugʻruqxonada homilador qizimga zudlik bilan kesar kesish kerak deyishdi, lekin "
            "shifokor yoʻq.",
        ],
        "ru": [
            "Беременной невестке нужна была срочная помощь, роддом отказал в приёме.",
            "У беременной жены началось кровотечение, скорая не приехала.",
        ],
    },
    {
        "code": "drugs_out",
        "topic": "medicines",
        "kind": "complaint",
        "urgent": True,
        "receivers": [("md-pharma", 0.6), ("rd", 0.2), ("centre-endocrinology", 0.2)],
        "uz": [
            "Qandli diabet bilan kasallangan bolamga insulin berilmayapti, dorixonada insulin "
            "tugagan.",
            "{place}da bepul insulin ikki oydan beri yoʻq, bemorlar qiynalmoqda.",
            "Onkologik dorilar tugadi, onamning kimyoterapiyasi toʻxtab qoldi.",
        ],
        "ru": [
            "Ребёнку с диабетом не выдают инсулин, в аптеке инсулина нет уже месяц.",
            "Закончились онкологические препараты, химиотерапия матери прервана.",
            "В {place} нет бесплатного инсулина, больные остались без лечения.",
        ],
    },
    {
        "code": "outbreak",
        "topic": "sanitary",
        "kind": "application",
        "urgent": True,
        "receivers": [("md-sanepid", 0.7), ("centre-epidemiology", 0.2), ("rd", 0.1)],
        "uz": [
            "Mahallamizda koʻp bolalar ichak infektsiyasi bilan kasallandi, ichimlik suvi "
            "ifloslangan.",
            "Maktab oshxonasidan keyin oʻnlab oʻquvchilar zaharlandi.",
            "Qishlogʻimizda qizamiq tarqalmoqda, epidemiya boshlandi.",
        ],
        "ru": [
            "В нашем посёлке вспышка кишечной инфекции, заболели десятки детей.",
            "После обеда в школьной столовой массовое отравление учеников.",
        ],
    },
    {
        "code": "rude_doctor",
        "topic": "staff-conduct",
        "kind": "complaint",
        "urgent": False,
        "receivers": [("rd", 0.8), ("insp", 0.2)],
        "uz": [
            "{place}dagi shifokor juda qoʻpol muomala qildi, dahshatli shifokor.",
            "Hamshira bemorlarga baqirdi, odobsiz muomala qildi.",
            "Shifokor qabul qilmadi, navbat uch kun, xodimlar befarq.",
            "{place} bosh shifokori fuqarolarni qabul qilmaydi, xodimlar qoʻpol.",
        ],
        "ru": [
            "Ужасный врач в {place}, грубо разговаривал с пациентами.",
            "Медсестра кричала на больных, хамское отношение персонала.",
            "Главный врач {place} не принимает граждан, персонал груб.",
        ],
    },
    {
        "code": "shortage",
        "topic": "medicines",
        "kind": "complaint",
        "urgent": False,
        "receivers": [("md-pharma", 0.8), ("rd", 0.2)],
        "uz": [
            "Dorixonada arzon dori vositalari topilmayapti, narxlar juda qimmat.",
            "{place}da vitaminlar va yoʻtal dorisi yoʻq, sotib olishga majburmiz.",
            "Imtiyozli dorilar roʻyxatidagi dorilar tumanda tanqis.",
        ],
        "ru": [
            "В аптеках нет дешёвых лекарств, цены завышены.",
            "Льготные лекарства из списка в районе в дефиците.",
        ],
    },
    {
        "code": "insulin_fine",
        "topic": "medicines",
        "kind": "application",
        "urgent": False,
        "receivers": [("md-pharma", 0.7), ("centre-endocrinology", 0.3)],
        "uz": [
            "Insulin bepul berilmoqda, rahmat, lekin glyukometr test-chiziqlarini ham bepul "
            "berishni soʻrayman.",
            "Insulin olish uchun har oy {place}ga borish noqulay, uyga yaqin dorixonada "
            "berishni taklif qilaman.",
        ],
        "ru": [
            "Инсулин выдают бесплатно, спасибо, но прошу выдавать и тест-полоски.",
            "Неудобно каждый месяц ездить за инсулином в {place}, прошу выдавать ближе к дому.",
        ],
    },
    {
        "code": "ambulance_thanks",
        "topic": "quality-of-care",
        "kind": "application",
        "urgent": False,
        "receivers": [("rd", 1.0)],
        "uz": [
            "Tez yordam tez keldi, shifokorlarga rahmat. Endi otamni sanatoriyga yuborishni "
            "soʻrayman.",
            "Oʻtgan yili tez yordam xodimlari onamni qutqarishdi, ularni taqdirlashni soʻrayman.",
        ],
        "ru": [
            "Скорая помощь приехала быстро, спасибо врачам. Прошу направить отца в санаторий.",
        ],
    },
    {
        "code": "child_certificate",
        "topic": "maternal-child",
        "kind": "application",
        "urgent": False,
        "receivers": [("rd", 0.9), ("md-mother-child", 0.1)],
        "uz": [
            "Bolamga bogʻcha uchun tibbiy maʼlumotnoma shoshilinch kerak, poliklinikada "
            "navbat uzun.",
            "Bolalar poliklinikasida pediatr yoʻq, emlash kechikmoqda.",
        ],
        "ru": [
            "Ребёнку срочно нужна справка для детского сада, в поликлинике большая очередь.",
            "В детской поликлинике нет педиатра, прививки задерживаются.",
        ],
    },
    {
        "code": "cardiology_wait",
        "topic": "quality-of-care",
        "kind": "application",
        "urgent": False,
        "receivers": [("centre-cardiology", 0.8), ("md-treatment", 0.2)],
        "uz": [
            "Kardiologiya markazida yurak jarrohligi uchun kvota navbati olti oy, tezlashtirishni "
            "soʻrayman.",
            "Otamga stent qoʻyish kerak, kardiologiya markazida kvota berilishini soʻrayman.",
        ],
        "ru": [
            "Очередь на операцию на сердце в кардиологическом центре полгода, прошу квоту.",
            "Отцу нужно стентирование, прошу выделить квоту в центре кардиологии.",
        ],
    },
    {
        "code": "eye_surgery",
        "topic": "quality-of-care",
        "kind": "application",
        "urgent": False,
        "receivers": [("centre-eye", 0.9), ("md-treatment", 0.1)],
        "uz": [
            "Koʻz xirasi (katarakta) operatsiyasi uchun koʻz mikroxirurgiyasi markaziga "
            "yoʻllanma soʻrayman.",
            "Koʻz mikroxirurgiyasi markazida linza narxi qimmat, bepul qilishni soʻrayman.",
        ],
        "ru": [
            "Прошу направление на операцию по катаракте в центр микрохирургии глаза.",
        ],
    },
    {
        "code": "paid_services",
        "topic": "paid-services",
        "kind": "complaint",
        "urgent": False,
        "receivers": [("md-economics", 0.5), ("rd", 0.3), ("insp", 0.2)],
        "uz": [
            "{place}da bepul boʻlishi kerak boʻlgan tahlillar uchun pul olishmoqda.",
            "Shifoxonada kassa chekisiz pul talab qilishdi, kvitansiya berishmadi.",
        ],
        "ru": [
            "В {place} берут деньги за анализы, которые должны быть бесплатными.",
            "В больнице требовали оплату без чека, квитанцию не выдали.",
        ],
    },
    {
        "code": "salary",
        "topic": "employment",
        "kind": "complaint",
        "urgent": False,
        "receivers": [("dir-personnel", 0.6), ("rd", 0.4)],
        "uz": [
            "Hamshiralarga uch oydan beri ish haqi toʻlanmayapti.",
            "Meni ishdan asossiz boʻshatishdi, qayta tiklashni soʻrayman.",
            "{place}da shifokorlarga ustama haq toʻlanmaydi.",
        ],
        "ru": [
            "Медсёстрам три месяца не выплачивают зарплату.",
            "Меня незаконно уволили из {place}, прошу восстановить.",
        ],
    },
    {
        "code": "education",
        "topic": "education",
        "kind": "application",
        "urgent": False,
        "receivers": [("md-science", 1.0)],
        "uz": [
            "Tibbiyot institutini bitirdim, klinik ordinaturaga qabul tartibini soʻrayman.",
            "Xorijda olgan diplomimni tan olish (nostrifikatsiya) tartibini tushuntiring.",
        ],
        "ru": [
            "Прошу разъяснить порядок поступления в клиническую ординатуру.",
            "Прошу разъяснить порядок признания иностранного медицинского диплома.",
        ],
    },
    {
        "code": "ivf",
        "topic": "ivf",
        "kind": "application",
        "urgent": False,
        "receivers": [("md-mother-child", 1.0)],
        "uz": [
            "EKU (ekstrakorporal urugʻlantirish) uchun davlat kvotasini olish tartibini soʻrayman.",
        ],
        "ru": ["Прошу выделить государственную квоту на ЭКО."],
    },
    {
        "code": "abroad",
        "topic": "treatment-abroad",
        "kind": "application",
        "urgent": False,
        "receivers": [("md-treatment", 1.0)],
        "uz": ["Oʻgʻlimni chet elda davolatish uchun davlat hisobidan yuborishni soʻrayman."],
        "ru": ["Прошу направить сына на лечение за рубеж за счёт государства."],
    },
    {
        "code": "disability",
        "topic": "disability",
        "kind": "complaint",
        "urgent": False,
        "receivers": [("md-treatment", 0.5), ("rd", 0.5)],
        "uz": [
            "Tibbiy-mehnat ekspert komissiyasi nogironlik guruhini asossiz olib tashladi.",
            "Nogironlik guruhini qayta koʻrikdan oʻtkazish uchun navbat juda uzun.",
        ],
        "ru": ["ВТЭК необоснованно снял группу инвалидности, прошу пересмотреть."],
    },
    {
        "code": "sanitary_plain",
        "topic": "sanitary",
        "kind": "complaint",
        "urgent": False,
        "receivers": [("md-sanepid", 0.6), ("rd", 0.4)],
        "uz": [
            "Mahallada chiqindilar olib ketilmayapti, sanitariya holati yomon.",
            "Bozordagi goʻsht doʻkonlarida sanitariya qoidalari buzilmoqda.",
        ],
        "ru": ["Во дворе не вывозят мусор, санитарное состояние ужасное."],
    },
    {
        "code": "proposal",
        "topic": "regulation-proposal",
        "kind": "proposal",
        "urgent": False,
        "receivers": [("dir-legal", 0.7), ("md-treatment", 0.3)],
        "uz": [
            "Elektron retsept tizimini barcha dorixonalarga joriy etishni taklif qilaman.",
            "Oilaviy shifokorlar uchun uyga chaqiruv tartibini qonun bilan belgilashni taklif "
            "qilaman.",
        ],
        "ru": ["Предлагаю ввести электронные рецепты во всех аптеках страны."],
    },
]

CAMPAIGNS = [
    {
        "code": "clinic_closure",
        "topic": "quality-of-care",
        "kind": "complaint",
        "region": "1718",
        "receiver": "rd-1718",
        "uz": "Urgut tumanidagi 7-sonli qishloq vrachlik punkti yopilmoqda. Aholi 15 km uzoqdagi "
        "poliklinikaga qatnashga majbur boʻladi. Punktni yopmaslikni soʻraymiz.",
    },
    {
        "code": "maternity_move",
        "topic": "maternal-child",
        "kind": "complaint",
        "region": "1730",
        "receiver": "rd-1730",
        "uz": "Quvasoy shahridagi tugʻruq boʻlimini viloyat markaziga koʻchirish rejasi bor. "
        "Bu onalar uchun juda noqulay, boʻlimni saqlab qolishni soʻraymiz.",
    },
]


VILLAGES = [
    "Bogʻishamol", "Navbahor", "Yangiobod", "Oqtepa", "Qoraqamish", "Guliston", "Doʻstlik",
    "Mustaqillik", "Chilonzor", "Olmazor", "Paxtakor", "Bunyodkor", "Sohibkor", "Istiqlol",
    "Obod", "Tinchlik", "Yoshlik", "Chinor", "Uzumzor", "Bogʻbon",
]  # fmt: skip
DETAILS_UZ = [
    "Men {village} mahallasida yashayman, {age} yoshdaman.",
    "Bu voqea {day}-kuni {village} qishlogʻida boʻldi.",
    "Manzilim: {village} MFY, {house}-uy.",
    "{age} yoshli nafaqaxoʻrman, {village} mahallasidanman.",
    "Oilamizda {kids} nafar farzand bor, {village} qishlogʻida turamiz.",
]
DETAILS_RU = [
    "Я живу в махалле {village}, мне {age} лет.",
    "Это случилось {day} числа в посёлке {village}.",
    "Мой адрес: МСГ {village}, дом {house}.",
    "Я пенсионер, {age} лет, из махалли {village}.",
    "В семье {kids} детей, живём в кишлаке {village}.",
]


def _pick(rng: random.Random, weighted: list[tuple[str, float]], region: str) -> str:
    roll, total = rng.random(), 0.0
    choice = weighted[-1][0]
    for org, weight in weighted:
        total += weight
        if roll < total:
            choice = org
            break
    if choice == "rd":
        return _rd(region)
    if choice == "insp":
        return f"insp-{region}"
    return choice


def _compose(rng: random.Random, body: str, lang: str) -> str:
    n = rng.randint(1, 60)
    slots = {
        "village": rng.choice(VILLAGES),
        "age": rng.randint(19, 84),
        "day": rng.randint(1, 28),
        "house": rng.randint(1, 120),
        "kids": rng.randint(1, 6),
    }
    if lang == "ru":
        place = rng.choice(PLACES_RU).format(n=n)
        detail = rng.choice(DETAILS_RU).format(**slots)
        parts = [rng.choice(OPENERS_RU), body.format(place=place), detail, rng.choice(CLOSERS_RU)]
    else:
        place = rng.choice(PLACES_UZ).format(n=n)
        detail = rng.choice(DETAILS_UZ).format(**slots)
        parts = [rng.choice(OPENERS_UZ), body.format(place=place), detail, rng.choice(CLOSERS_UZ)]
    if rng.random() < 0.5:
        parts[1], parts[2] = parts[2], parts[1]
    text = " ".join(p for p in parts if p)
    return latin_to_cyrillic(text) if lang == "uz_Cyrl" else text


def _resend(rng: random.Random, text: str, lang: str) -> str:
    """The same author writes again: another opener or a line added, the substance unchanged."""
    extra = {
        "ru": ["Пишу повторно.", "Ответа до сих пор нет.", "Прошу срочно рассмотреть."],
        "uz": ["Qayta yozyapman.", "Hali javob yoʻq.", "Iltimos, tezroq koʻrib chiqing."],
    }["ru" if lang == "ru" else "uz"]
    line = rng.choice(extra)
    if lang == "uz_Cyrl":
        line = latin_to_cyrillic(line)
    return f"{line} {text}" if rng.random() < 0.5 else f"{text} {line}"


def generate(seed: int = 2017, size: int = 640) -> list[dict[str, Any]]:
    """The sample, deterministic for a seed: `size` letters, then re-sends and campaigns."""
    rng = random.Random(seed)  # noqa: S311 (a reproducible sample, not a secret)
    records: list[dict[str, Any]] = []
    langs = ["uz", "uz_Cyrl", "ru"]
    for i in range(size):
        cat = CATEGORIES[i % len(CATEGORIES)]
        lang = langs[rng.randrange(3)]
        body = rng.choice(cat["ru"] if lang == "ru" else cat["uz"])
        region = rng.choice(REGIONS)
        records.append(
            {
                "text": _compose(rng, body, lang),
                "lang": lang,
                "category": cat["code"],
                "topic": cat["topic"],
                "kind": cat["kind"],
                "region": region,
                "receiver": _pick(rng, cat["receivers"], region),
                "urgent": cat["urgent"],
                "author": f"author-{i}",
                "group": "",
            }
        )
    # Re-sends: one letter in twelve comes again from the same author (L-6 duplicates).
    for i in range(0, size, 12):
        original = records[i]
        original["group"] = f"resend-{i}"
        copy = dict(original)
        copy["text"] = _resend(rng, original["text"], original["lang"])
        records.append(copy)
    # Campaigns: near-identical letters from many different authors (one clinic's closure).
    for c in CAMPAIGNS:
        for k in range(12):
            # One circulated text, typed in either script (a Russian version would be a
            # second text, hence a second cluster).
            lang = "uz_Cyrl" if k % 3 == 1 else "uz"
            text = latin_to_cyrillic(c["uz"]) if lang == "uz_Cyrl" else c["uz"]
            if k % 2:
                text = _resend(rng, text, lang) if k % 4 == 1 else f"{text} {k + 1}-imzo."
            records.append(
                {
                    "text": text,
                    "lang": lang,
                    "category": c["code"],
                    "topic": c["topic"],
                    "kind": c["kind"],
                    "region": c["region"],
                    "receiver": c["receiver"],
                    "urgent": False,
                    "author": f"{c['code']}-author-{k}",
                    "group": f"campaign-{c['code']}",
                }
            )
    rng.shuffle(records)
    for n, record in enumerate(records):
        record["id"] = n
    return records


def is_held_out(record: dict[str, Any]) -> bool:
    return record["id"] % 10 >= 7


def load(path: Path = SAMPLE_PATH) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def split(records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    train = [r for r in records if not is_held_out(r)]
    held = [r for r in records if is_held_out(r)]
    return train, held


def write(path: Path = SAMPLE_PATH, seed: int = 2017) -> int:
    records = generate(seed)
    path.write_text(
        json.dumps(records, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
    )
    return len(records)
