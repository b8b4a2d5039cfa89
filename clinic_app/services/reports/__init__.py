"""Printed reports in right-to-left Persian: case report, clinic period report, national summary and the
enterprise list (PDF with the embedded Vazirmatn font; the list also as Excel).

Entry points (each takes a ``UnitOfWork`` and an output path or file, and returns ``pdf.BuiltPdf``):
``case_report.case_report``, ``clinic_report.clinic_report``, ``national.national_report``,
``enterprise_list.enterprise_list_pdf`` / ``enterprise_list_excel``. The CLI commands are added by
``cli.add_report_commands``. How Persian text is prepared for ReportLab is explained in ``rtl``.
"""
