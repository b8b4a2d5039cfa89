"""SQLAlchemy models and the local store. Nothing here imports Qt."""

from .attachment import Attachment
from .base import Base, Synced, new_id, synced_tables, utcnow
from .case import Case, CaseAssignment, CaseStatusChange
from .consultation import Consultation, ConsultationAction, ConsultationConsultant
from .diagnosis import Diagnosis, DiagnosisAnswer, DiagnosticTemplate, Finding
from .enterprise import ContactPerson, Enterprise
from .journal import AppMeta, AuditEntry, ChangeLog, SearchDoc
from .monitoring import Indicator, Measurement
from .plan import CapacityPlan, PlanAction, PlanActionFinding
from .reference import Clinic, ClinicPark, Consultant, DiagnosisTarget, IndustrialPark, Province, User
from .review import ReviewDecision, ReviewSubmission
from .sync_state import SyncConflict as SyncConflict

__all__ = [
    "AppMeta",
    "Attachment",
    "AuditEntry",
    "Base",
    "CapacityPlan",
    "Case",
    "CaseAssignment",
    "CaseStatusChange",
    "ChangeLog",
    "Clinic",
    "ClinicPark",
    "Consultant",
    "Consultation",
    "ConsultationAction",
    "ConsultationConsultant",
    "ContactPerson",
    "Diagnosis",
    "DiagnosisAnswer",
    "DiagnosisTarget",
    "DiagnosticTemplate",
    "Enterprise",
    "Finding",
    "Indicator",
    "IndustrialPark",
    "Measurement",
    "PlanAction",
    "PlanActionFinding",
    "Province",
    "ReviewDecision",
    "ReviewSubmission",
    "SearchDoc",
    "Synced",
    "User",
    "new_id",
    "synced_tables",
    "utcnow",
]
