"""SQLAlchemy models and the local store. Nothing here imports Qt."""

from .attachment import Attachment
from .base import Base, Synced, new_id, synced_tables, utcnow
from .case import Case, CaseAssignment, CaseStatusChange
from .consultation import Consultation, ConsultationAction, ConsultationConsultant
from .diagnosis import Diagnosis, DiagnosisAnswer, DiagnosticTemplate, Finding
from .enterprise import ContactPerson, Enterprise
from .follow_up import FollowUp, OperatingStatusChange
from .journal import AppMeta, AuditEntry, ChangeLog, SearchDoc
from .monitoring import Indicator, Measurement
from .outreach import OutreachContact
from .plan import CapacityPlan, PlanAction, PlanActionFinding
from .reference import Clinic, ClinicPark, Consultant, DiagnosisTarget, IndustrialPark, Province, User
from .review import ReviewDecision, ReviewSubmission
from .sync_state import SyncConflict as SyncConflict
from .transfer import EnterpriseTransfer, TransferAnswerRow

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
    "EnterpriseTransfer",
    "Finding",
    "FollowUp",
    "Indicator",
    "IndustrialPark",
    "Measurement",
    "OperatingStatusChange",
    "OutreachContact",
    "PlanAction",
    "PlanActionFinding",
    "Province",
    "ReviewDecision",
    "ReviewSubmission",
    "SearchDoc",
    "Synced",
    "TransferAnswerRow",
    "User",
    "new_id",
    "synced_tables",
    "utcnow",
]
