"""Persian names of the code lists the models keep (statuses, kinds, parties), as printed in reports."""

from __future__ import annotations

from clinic_app import resources

MOU_PARTIES = {
    "isipo": "سازمان صنایع کوچک و شهرک‌های صنعتی ایران",
    "imi": "سازمان مدیریت صنعتی",
    "basij": "سازمان بسیج مهندسین صنعتی",
}
MOU_PARTIES_SHORT = {"isipo": "صنایع کوچک و شهرک‌ها", "imi": "مدیریت صنعتی", "basij": "بسیج مهندسین"}
AFFILIATIONS = {**MOU_PARTIES_SHORT, "independent": "مستقل"}

# A diagnosis answer of score 0 (NOT_APPLICABLE): the diagnosis screen's words for it.
NOT_APPLICABLE = "نامربوط / نامعلوم"

OPERATING_STATUSES = {
    "active": "فعال",
    "semi_active": "نیمه‌فعال",
    "dormant": "راکد",
    "under_construction": "در حال احداث",
}
CASE_STATUSES = {
    "intake": "پذیرش",
    "diagnosis": "عارضه‌یابی",
    "planning": "برنامه‌ریزی",
    "implementation": "اجرا",
    "closed": "بسته",
    "suspended": "معلق",
}
CLOSURE_OUTCOMES = {
    "revived": "احیا شد",
    "improved": "بهبود یافت",
    "no_change": "بدون تغییر",
    "withdrawn": "انصراف واحد",
    "referred": "ارجاع به نهاد دیگر",
}
SEVERITIES = {"critical": "بحرانی", "high": "زیاد", "medium": "متوسط", "low": "کم"}
SEVERITY_ORDER = ("critical", "high", "medium", "low")
ACTION_STATUSES = {
    "planned": "برنامه‌ریزی‌شده",
    "in_progress": "در حال اجرا",
    "done": "انجام‌شده",
    "cancelled": "لغوشده",
}
INTERVENTION_TYPES = {
    "consulting": "مشاوره",
    "training": "آموزش",
    "financing": "تأمین مالی",
    "technical": "فنی",
    "market_access": "دسترسی به بازار",
    "legal": "حقوقی",
}
CONSULTATION_MODES = {"in_person": "حضوری", "phone": "تلفنی", "online": "برخط"}
INDICATOR_KINDS = {
    "employees": "تعداد کارکنان",
    "monthly_output": "تولید ماهانه",
    "capacity_utilisation": "ظرفیت مورد استفاده",
    "sales": "فروش",
    "exports": "صادرات",
}
PLAN_STATES = {"draft": "پیش‌نویس", "agreed": "توافق‌شده", "closed": "بسته"}
DIAGNOSIS_STATES = {"draft": "پیش‌نویس", "final": "نهایی"}
# A section letter alone («C») says nothing to a reader: its Persian title, then the letter.
ISIC_SECTIONS = {s["code"]: f"{s['name_fa']} ({s['code']})" for s in resources.isic_sections()}
LICENCE_KINDS = {"establishment": "جواز تأسیس", "operation": "پروانه بهره‌برداری"}
PARK_KINDS = {"park": "شهرک صنعتی", "zone": "ناحیه صنعتی"}
ASSIGNMENT_ROLES = {"lead": "مشاور مسئول", "member": "مشاور همکار"}


def label(table: dict[str, str], code: str | None) -> str:
    """The Persian name of ``code``; an unknown code is shown as is, a missing one as «—»."""
    if not code:
        return "—"
    return table.get(code, code)


# Persian alphabetical order; Python's code-point order would put پ چ ژ گ after ی.
_ALPHABET = "آاأإءئؤبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهۀةی"
_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "\u200c": None})


def persian_sort_key(text: str | None) -> tuple:
    """Sort key that puts Persian words in dictionary order (Latin and digits after Persian)."""
    folded = (text or "").translate(_FOLD)
    return tuple(_ORDER.get(ch, 1000 + ord(ch)) for ch in folded)
