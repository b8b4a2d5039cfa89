<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fa_IR">
<context>
    <name>ActionDialog</name>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="117"/>
        <source>Edit action</source>
        <translation>ویرایش اقدام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="117"/>
        <source>New action</source>
        <translation>اقدام تازه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="126"/>
        <source>Who does it (a person or an organisation)</source>
        <translation>انجام‌دهنده (یک فرد یا یک سازمان)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="128"/>
        <source>(no consultant)</source>
        <translation>(بدون مشاور)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="165"/>
        <source>Action</source>
        <translation>اقدام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="166"/>
        <source>Type</source>
        <translation>نوع</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="167"/>
        <source>Owner</source>
        <translation>مسئول اجرا</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="168"/>
        <source>Consultant in charge</source>
        <translation>مشاور پیگیر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="169"/>
        <source>Start</source>
        <translation>شروع</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="170"/>
        <source>Due</source>
        <translation>سررسید</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="171"/>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="172"/>
        <source>Progress</source>
        <translation>پیشرفت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="173"/>
        <source>Budget (Rials)</source>
        <translation>بودجه (ریال)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="174"/>
        <source>Notes</source>
        <translation>یادداشت</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="289"/>
        <source>First administrator</source>
        <translation>نخستین مدیر سامانه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="291"/>
        <source>The administrator manages user accounts. You will sign in with this account.</source>
        <translation>مدیر سامانه حساب‌های کاربری را مدیریت می‌کند. با همین حساب وارد برنامه می‌شوید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="314"/>
        <source>User name: Latin letters, digits, dot or dash, starting with a letter. Password: at least 8 characters.</source>
        <translation>نام کاربری: حروف لاتین، رقم، نقطه یا خط تیره، که با حرف آغاز شود. گذرواژه: دست‌کم ۸ نویسه.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="321"/>
        <source>Full &amp;name:</source>
        <translation>نام و نام خانوادگی:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="322"/>
        <source>&amp;User name:</source>
        <translation>نام کاربری:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="323"/>
        <source>&amp;Password:</source>
        <translation>گذرواژه:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="324"/>
        <source>&amp;Repeat password:</source>
        <translation>تکرار گذرواژه:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="337"/>
        <source>The two passwords are not the same.</source>
        <translation>دو گذرواژه یکسان نیستند.</translation>
    </message>
</context>
<context>
    <name>AgendaPage</name>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="171"/>
        <source>Consultations</source>
        <translation>جلسه‌های مشاوره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="176"/>
        <source>Previous week</source>
        <translation>هفتهٔ قبل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="178"/>
        <source>Previous week (Page Up)</source>
        <translation>هفتهٔ قبل (Page Up)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="180"/>
        <source>This week</source>
        <translation>این هفته</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="183"/>
        <source>Next week</source>
        <translation>هفتهٔ بعد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="185"/>
        <source>Next week (Page Down)</source>
        <translation>هفتهٔ بعد (Page Down)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="195"/>
        <source>All consultants</source>
        <translation>همهٔ مشاوران</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="229"/>
        <source>No consulting session this week.</source>
        <translation>این هفته جلسهٔ مشاوره‌ای ثبت نشده است.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="266"/>
        <source>%1 to %2</source>
        <translation>%1 تا %2</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="278"/>
        <source>Loading the agenda</source>
        <translation>در حال خواندن برنامهٔ هفته</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="292"/>
        <source>%1 sessions, %2 hours with enterprises</source>
        <translation>%1 جلسه، %2 ساعت با واحدها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="298"/>
        <source>; %1 planned</source>
        <translation>؛ %1 برنامه‌ریزی‌شده</translation>
    </message>
</context>
<context>
    <name>AgendaWeekModel</name>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="118"/>
        <source>planned, %1</source>
        <translation>برنامه‌ریزی‌شده، %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/consultations/agenda.py" line="120"/>
        <source>%1 min</source>
        <translation>%1 دقیقه</translation>
    </message>
</context>
<context>
    <name>AgreeDialog</name>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="214"/>
        <source>Agree the plan</source>
        <translation>توافق بر برنامه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="214"/>
        <source>Agree</source>
        <translation>ثبت توافق</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="219"/>
        <source>The enterprise has agreed to this plan on:</source>
        <translation>واحد در این تاریخ با برنامه موافقت کرد:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="222"/>
        <source>Agreed on</source>
        <translation>تاریخ توافق</translation>
    </message>
</context>
<context>
    <name>AssignActionsDialog</name>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="239"/>
        <source>Owner and dates of %1 actions</source>
        <translation>مسئول و تاریخ‌های %1 اقدام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="240"/>
        <source>Apply to all</source>
        <translation>اعمال بر همه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="247"/>
        <source>(leave each action&apos;s owner)</source>
        <translation>(مسئول هر اقدام همان بماند)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="249"/>
        <source>(leave each action&apos;s consultant)</source>
        <translation>(مشاور پیگیر هر اقدام همان بماند)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="250"/>
        <source>(no consultant)</source>
        <translation>(بدون مشاور)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="258"/>
        <source>Owner</source>
        <translation>مسئول اجرا</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="259"/>
        <source>Consultant in charge</source>
        <translation>مشاور پیگیر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="260"/>
        <source>Start</source>
        <translation>شروع</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="261"/>
        <source>Due</source>
        <translation>سررسید</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="262"/>
        <source>Fields left blank keep each action&apos;s own value.</source>
        <translation>فیلدهایی که خالی بمانند، مقدار خود هر اقدام را نگه می‌دارند.</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="163"/>
        <source>Assign a consultant</source>
        <translation>تخصیص مشاور</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="163"/>
        <source>Assign</source>
        <translation>تخصیص</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="167"/>
        <source>(choose)</source>
        <translation>(انتخاب کنید)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="177"/>
        <source>Consultant</source>
        <translation>مشاور</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="178"/>
        <source>Role</source>
        <translation>نقش</translation>
    </message>
</context>
<context>
    <name>AttachmentsTab</name>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="49"/>
        <source>Add files…</source>
        <translation>افزودن فایل…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="52"/>
        <source>Open</source>
        <translation>باز کردن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="55"/>
        <source>Remove</source>
        <translation>حذف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="73"/>
        <source>%1 files</source>
        <translation>%1 فایل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="80"/>
        <source>Attach files to the case</source>
        <translation>پیوست فایل به پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="99"/>
        <source>Attaching files</source>
        <translation>در حال پیوست فایل‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="122"/>
        <source>Opening attachment</source>
        <translation>در حال باز کردن پیوست</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="130"/>
        <source>Remove attachment</source>
        <translation>حذف پیوست</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="131"/>
        <source>Remove «%1» from the case?</source>
        <translation>«%1» از پرونده حذف شود؟</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="136"/>
        <source>Removing attachment</source>
        <translation>در حال حذف پیوست</translation>
    </message>
</context>
<context>
    <name>AttachmentsTable</name>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="30"/>
        <source>File</source>
        <translation>فایل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="31"/>
        <source>Size</source>
        <translation>اندازه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="32"/>
        <source>Added</source>
        <translation>تاریخ افزودن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/attachments_tab.py" line="33"/>
        <source>Note</source>
        <translation>یادداشت</translation>
    </message>
</context>
<context>
    <name>BackupsModel</name>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="101"/>
        <source>Made on</source>
        <translation>زمان تهیه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="102"/>
        <source>Kind</source>
        <translation>نوع</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="103"/>
        <source>Size</source>
        <translation>اندازه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="104"/>
        <source>Enterprises</source>
        <translation>واحدها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="105"/>
        <source>Cases</source>
        <translation>پرونده‌ها</translation>
    </message>
</context>
<context>
    <name>BatchReportsDialog</name>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="78"/>
        <source>Case reports</source>
        <translation>گزارش پرونده‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="81"/>
        <source>Make the case reports of %1 cases, one PDF file for each case.</source>
        <translation>ساختن گزارش %1 پرونده، برای هر پرونده یک فایل PDF.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="90"/>
        <source>Choose…</source>
        <translation>انتخاب…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="93"/>
        <source>Save in &amp;folder:</source>
        <translation>ذخیره در پوشه:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="99"/>
        <source>Also join all the reports into one PDF, to print them together</source>
        <translation>یک PDF هم از همهٔ گزارش‌ها با هم ساخته شود، برای چاپ یک‌جا</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="109"/>
        <source>%v of %m</source>
        <translation>%v از %m</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="121"/>
        <source>&amp;Make the reports</source>
        <translation>ساختن گزارش‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="125"/>
        <source>&amp;Stop</source>
        <translation>توقف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="129"/>
        <source>&amp;Open the folder</source>
        <translation>باز کردن پوشه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="133"/>
        <source>&amp;Preview and print all…</source>
        <translation>پیش‌نمایش و چاپ همه…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="137"/>
        <source>&amp;Close</source>
        <translation>بستن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="171"/>
        <source>Where to save the reports</source>
        <translation>گزارش‌ها کجا ذخیره شوند</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="183"/>
        <source>Choose a folder for the reports.</source>
        <translation>پوشه‌ای برای گزارش‌ها انتخاب کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="202"/>
        <source>Case %1</source>
        <translation>پروندهٔ %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="221"/>
        <source>Making case reports</source>
        <translation>در حال ساختن گزارش پرونده‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="233"/>
        <source>Stopping after the reports being made now…</source>
        <translation>پس از گزارش‌هایی که اکنون در حال ساخت‌اند، کار متوقف می‌شود…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="245"/>
        <source>Starting…</source>
        <translation>در حال شروع…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="258"/>
        <source>Stopped. %1 of %2 reports were made before that.</source>
        <translation>متوقف شد. پیش از آن %1 گزارش از %2 گزارش ساخته شد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="260"/>
        <source>%1 of %2 reports were made.</source>
        <translation>%1 گزارش از %2 گزارش ساخته شد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="263"/>
        <source>%1 could not be made; the reasons are below.</source>
        <translation>%1 گزارش ساخته نشد؛ علت‌ها در زیر آمده است.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="267"/>
        <source>Folder: %1</source>
        <translation>پوشه: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="270"/>
        <source>Case %1: %2</source>
        <translation>پروندهٔ %1: %2</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/batch_print.py" line="311"/>
        <source>Case reports (%1)</source>
        <translation>گزارش پرونده‌ها (%1)</translation>
    </message>
</context>
<context>
    <name>CaseDetailsDialog</name>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="139"/>
        <source>Case details</source>
        <translation>مشخصات پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="145"/>
        <source>Referred by</source>
        <translation>معرفی‌کننده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="146"/>
        <source>Main problem</source>
        <translation>مسئلهٔ اصلی واحد</translation>
    </message>
</context>
<context>
    <name>CaseListPage</name>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="91"/>
        <source>Cases</source>
        <translation>پرونده‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="99"/>
        <source>Search by case number, enterprise, national ID or park (Ctrl+F)</source>
        <translation>جست‌وجو در شمارهٔ پرونده، نام واحد، شناسهٔ ملی یا شهرک (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="109"/>
        <source>All statuses</source>
        <translation>همهٔ وضعیت‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="113"/>
        <source>Open cases only</source>
        <translation>فقط پرونده‌های باز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="116"/>
        <source>My cases</source>
        <translation>پرونده‌های من</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="140"/>
        <source>Open case</source>
        <translation>باز کردن پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="144"/>
        <source>Print reports…</source>
        <translation>چاپ گزارش‌ها…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="147"/>
        <source>Case reports of the selected cases, or of all listed cases when none is selected</source>
        <translation>گزارش پرونده‌های انتخاب‌شده، یا اگر چیزی انتخاب نشده، همهٔ پرونده‌های فهرست</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="189"/>
        <source>Searching cases</source>
        <translation>در حال جست‌وجوی پرونده‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="200"/>
        <source>%1 cases</source>
        <translation>%1 پرونده</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="47"/>
        <source>Case no.</source>
        <translation>شمارهٔ پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="48"/>
        <source>Enterprise</source>
        <translation>واحد صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="49"/>
        <source>Park</source>
        <translation>شهرک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="50"/>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="51"/>
        <source>Opened on</source>
        <translation>تاریخ تشکیل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="52"/>
        <source>Closed on</source>
        <translation>تاریخ بستن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="53"/>
        <source>Consultants</source>
        <translation>مشاوران</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/case_list.py" line="54"/>
        <source>Last change</source>
        <translation>آخرین تغییر</translation>
    </message>
</context>
<context>
    <name>CaseWorkspace</name>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="647"/>
        <source>Case</source>
        <translation>پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="650"/>
        <source>Back to cases</source>
        <translation>بازگشت به پرونده‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="662"/>
        <source>Case &amp;report…</source>
        <translation>&amp;گزارش پرونده…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="679"/>
        <source>Overview</source>
        <translation>نمای کلی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="680"/>
        <source>Diagnosis</source>
        <translation>عارضه‌یابی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="681"/>
        <source>Plan</source>
        <translation>برنامه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="682"/>
        <source>Consultations</source>
        <translation>جلسه‌های مشاوره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="683"/>
        <source>Monitoring</source>
        <translation>پایش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="684"/>
        <source>Attachments</source>
        <translation>پیوست‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="685"/>
        <source>History</source>
        <translation>سابقهٔ تغییرات</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="742"/>
        <source>Loading case</source>
        <translation>در حال خواندن پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="753"/>
        <source>Case %1</source>
        <translation>پروندهٔ %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="756"/>
        <source>no lead consultant</source>
        <translation>بدون مشاور مسئول</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="783"/>
        <source>«%1» went to the recycle bin; Ctrl+Z brings it back.</source>
        <translation>«%1» به سطل بازیافت رفت؛ Ctrl+Z آن را بازمی‌گرداند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="789"/>
        <source>Nothing removed here to bring back.</source>
        <translation>اینجا چیزی حذف نشده که بازگردانده شود.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="800"/>
        <source>«%1» is back.</source>
        <translation>«%1» بازگردانده شد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="807"/>
        <source>Bringing back</source>
        <translation>در حال بازگرداندن</translation>
    </message>
</context>
<context>
    <name>ClinicPage</name>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="80"/>
        <source>Clinic</source>
        <translation>کلینیک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="81"/>
        <source>The clinic&apos;s name, the MoU party that runs it and where it is.</source>
        <translation>نام کلینیک، طرف تفاهم‌نامه‌ای که آن را اداره می‌کند و محل آن.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="91"/>
        <source>(choose a province)</source>
        <translation>(استان را برگزینید)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="110"/>
        <source>Clinic &amp;name:</source>
        <translation>نام کلینیک:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="111"/>
        <source>&amp;MoU party:</source>
        <translation>طرف تفاهم‌نامه:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="112"/>
        <source>&amp;Province:</source>
        <translation>استان:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="113"/>
        <source>Annual diagnosis &amp;target:</source>
        <translation>هدف سالانهٔ عارضه‌یابی:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="123"/>
        <source>Choose the province the clinic is in.</source>
        <translation>استانی را که کلینیک در آن است برگزینید.</translation>
    </message>
</context>
<context>
    <name>CloseCaseDialog</name>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="87"/>
        <source>Close case</source>
        <translation>بستن پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="91"/>
        <source>(choose the outcome)</source>
        <translation>(نتیجه را انتخاب کنید)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="99"/>
        <source>Outcome</source>
        <translation>نتیجه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="100"/>
        <source>Closed on</source>
        <translation>تاریخ بستن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="101"/>
        <source>Note</source>
        <translation>یادداشت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="121"/>
        <source>Close the case as «%1» all the same?</source>
        <translation>با این حال پرونده با نتیجهٔ «%1» بسته شود؟</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="124"/>
        <source>Unfinished plan actions</source>
        <translation>اقدام‌های ناتمام برنامه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="126"/>
        <source>Close all the same</source>
        <translation>با این حال بسته شود</translation>
    </message>
</context>
<context>
    <name>Common</name>
    <message>
        <location filename="../../clinic_app/ui/widgets/common.py" line="333"/>
        <source>Yes</source>
        <translation>بله</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/widgets/common.py" line="335"/>
        <source>No</source>
        <translation>خیر</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="197"/>
        <source>Resolve a sync conflict</source>
        <translation>حل ناسازگاری همگام‌سازی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="207"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="215"/>
        <source>Both values</source>
        <translation>هر دو مقدار</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="220"/>
        <source>Field</source>
        <translation>فیلد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="220"/>
        <source>Value that shows now</source>
        <translation>مقداری که اکنون نمایش داده می‌شود</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="220"/>
        <source>Other value</source>
        <translation>مقدار دیگر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="226"/>
        <source>(not at HQ)</source>
        <translation>(در ستاد نیست)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="240"/>
        <source>HQ&apos;s reason: %1</source>
        <translation>دلیل ستاد: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="246"/>
        <source>What should the record hold?</source>
        <translation>رکورد چه مقداری داشته باشد؟</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="272"/>
        <source>This value cannot be typed here; choose one of the two.</source>
        <translation>این مقدار را نمی‌توان اینجا نوشت؛ یکی از دو مقدار را برگزینید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="283"/>
        <source>Resolve</source>
        <translation>حل ناسازگاری</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="287"/>
        <source>Cancel</source>
        <translation>انصراف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="317"/>
        <source>This field was changed in two places before they synced. The later change shows now; the other value was kept so that you can choose.</source>
        <translation>این فیلد پیش از همگام‌سازی در دو جا تغییر کرده است. تغییر دیرتر اکنون نمایش داده می‌شود و مقدار دیگر نگه داشته شده تا شما انتخاب کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="322"/>
        <source>This record was changed in one place after it had been deleted in another. It stays deleted unless you restore it with the change.</source>
        <translation>این رکورد در یک جا ویرایش شده، پس از آنکه در جای دیگر حذف شده بود. رکورد حذف‌شده می‌ماند، مگر آنکه آن را با همین ویرایش بازگردانید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="327"/>
        <source>This record was deleted in one place after it had been changed in another. It was kept unless you delete it.</source>
        <translation>این رکورد در یک جا حذف شده، پس از آنکه در جای دیگر ویرایش شده بود. رکورد نگه داشته شده است، مگر آنکه آن را حذف کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="338"/>
        <source>Another computer of this clinic gave the same case number to another case before they synced. HQ kept that case&apos;s number and gave this case the next free number, which shows now. Correct any paper that carries the old number.</source>
        <translation>رایانهٔ دیگری از همین کلینیک، پیش از همگام‌سازی، همین شماره را به پروندهٔ دیگری داده بود. ستاد شمارهٔ آن پرونده را نگه داشت و به این پرونده نخستین شمارهٔ آزاد را داد که اکنون دیده می‌شود. هر برگه‌ای را که شمارهٔ پیشین را دارد اصلاح کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="344"/>
        <source>Changes made on two computers before they synced were each fine, but together they broke a rule between records. HQ kept all of them; its account of what it did and what to do is below.</source>
        <translation>تغییرهایی که پیش از همگام‌سازی در دو رایانه انجام شد هر یک به‌تنهایی درست بودند، اما با هم یکی از قاعده‌های میان رکوردها را شکستند. ستاد همهٔ آن‌ها را نگه داشت؛ شرح ستاد از آنچه کرد و آنچه باید بکنید در پایین آمده است.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="349"/>
        <source>HQ did not accept this change. It is still in this computer but not at HQ; correct the record by an ordinary edit if needed.</source>
        <translation>ستاد این تغییر را نپذیرفت. تغییر در این رایانه هست ولی در ستاد نیست؛ در صورت نیاز رکورد را با یک ویرایش عادی درست کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="356"/>
        <source>Keep the value that shows now</source>
        <translation>همین مقداری که نمایش داده می‌شود بماند</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="357"/>
        <source>Take the other value</source>
        <translation>مقدار دیگر جایگزین شود</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="358"/>
        <source>Type the right value:</source>
        <translation>مقدار درست را بنویسید:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="362"/>
        <source>Keep the record deleted</source>
        <translation>رکورد حذف‌شده بماند</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="363"/>
        <source>Restore the record with the change</source>
        <translation>رکورد با این ویرایش بازگردانده شود</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="367"/>
        <source>Keep the record</source>
        <translation>رکورد بماند</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="368"/>
        <source>Delete the record</source>
        <translation>رکورد حذف شود</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="372"/>
        <source>I have seen this</source>
        <translation>دیدم؛ در صورت نیاز خودم اصلاح می‌کنم</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="376"/>
        <source>from HQ</source>
        <translation>از ستاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="378"/>
        <source>from this computer</source>
        <translation>از همین رایانه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="380"/>
        <source>from another computer</source>
        <translation>از رایانه‌ای دیگر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="226"/>
        <source>(not stored on this computer)</source>
        <translation>(در این رایانه ذخیره نشد)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="240"/>
        <source>Why: %1</source>
        <translation>چرا: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="332"/>
        <source>HQ sent this record, but this computer could not store it; the rest of the sync went on. If only something it belongs to is missing, it is stored by itself once that arrives. Otherwise tell HQ support: once HQ corrects the record, the next sync stores it.</source>
        <translation>ستاد این رکورد را فرستاد، اما این رایانه نتوانست آن را ذخیره کند؛ بقیهٔ همگام‌سازی ادامه یافت. اگر فقط رکوردی که این رکورد به آن وابسته است نرسیده باشد، با رسیدن آن خودکار ذخیره می‌شود. وگرنه به پشتیبانی ستاد خبر دهید: وقتی ستاد رکورد را درست کند، همگام‌سازی بعدی آن را ذخیره می‌کند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="371"/>
        <source>I have seen this (stop waiting for this record)</source>
        <translation>دیدم (دیگر منتظر این رکورد نمان)</translation>
    </message>
</context>
<context>
    <name>ConflictTableModel</name>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="81"/>
        <source>not deleted</source>
        <translation>حذف نشده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="82"/>
        <source>deleted</source>
        <translation>حذف‌شده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="94"/>
        <source>Record type</source>
        <translation>نوع رکورد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="95"/>
        <source>Record</source>
        <translation>رکورد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="96"/>
        <source>Conflict</source>
        <translation>ناسازگاری</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="97"/>
        <source>Field</source>
        <translation>فیلد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="98"/>
        <source>Value that shows</source>
        <translation>مقدار نمایش‌داده‌شده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="99"/>
        <source>Other value</source>
        <translation>مقدار دیگر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="100"/>
        <source>Since</source>
        <translation>از</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="145"/>
        <source>(not at HQ)</source>
        <translation>(در ستاد نیست)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="160"/>
        <source>resolved %1</source>
        <translation>حل‌شده در %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/conflicts.py" line="147"/>
        <source>(not stored on this computer)</source>
        <translation>(در این رایانه ذخیره نشد)</translation>
    </message>
</context>
<context>
    <name>ConsultationDialog</name>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="106"/>
        <source>Record the session held</source>
        <translation>ثبت جلسهٔ برگزارشده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="108"/>
        <source>Edit consultation</source>
        <translation>ویرایش جلسهٔ مشاوره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="110"/>
        <source>Log a consultation</source>
        <translation>ثبت جلسهٔ مشاوره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="110"/>
        <source>Plan a visit or session</source>
        <translation>برنامه‌ریزی بازدید یا جلسه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="124"/>
        <source>e.g. 9:30 (optional)</source>
        <translation>مثلاً ۹:۳۰ (اختیاری)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="150"/>
        <source>Who attended from the enterprise</source>
        <translation>حاضران از سوی واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="192"/>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="193"/>
        <source>Date</source>
        <translation>تاریخ</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="194"/>
        <source>Start time</source>
        <translation>ساعت شروع</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="195"/>
        <source>Session (minutes)</source>
        <translation>مدت جلسه (دقیقه)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="196"/>
        <source>Preparation (minutes)</source>
        <translation>آماده‌سازی (دقیقه)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="197"/>
        <source>Mode</source>
        <translation>نوع جلسه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="198"/>
        <source>Consultants</source>
        <translation>مشاوران</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="199"/>
        <source>Attendees</source>
        <translation>حاضران</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="200"/>
        <source>Plan actions worked on</source>
        <translation>اقدام‌های برنامه که بررسی شد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="201"/>
        <source>Topics</source>
        <translation>موضوع‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="202"/>
        <source>Summary</source>
        <translation>خلاصه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="203"/>
        <source>Decisions</source>
        <translation>تصمیم‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="204"/>
        <source>Follow-ups</source>
        <translation>پیگیری‌ها</translation>
    </message>
</context>
<context>
    <name>ConsultationsTab</name>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="267"/>
        <source>Log a consultation…</source>
        <translation>ثبت جلسهٔ مشاوره…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="270"/>
        <source>Plan a visit…</source>
        <translation>برنامه‌ریزی بازدید…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="273"/>
        <source>Record as held…</source>
        <translation>ثبت برگزاری…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="275"/>
        <source>Record what happened in the selected planned session</source>
        <translation>آنچه در جلسهٔ برنامه‌ریزی‌شدهٔ برگزیده گذشت را ثبت کنید</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="277"/>
        <source>Edit…</source>
        <translation>ویرایش…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="280"/>
        <source>Remove</source>
        <translation>حذف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="308"/>
        <source>%1 sessions — %2 h in sessions, %3 h preparing</source>
        <translation>%1 جلسه — %2 ساعت جلسه، %3 ساعت آماده‌سازی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="317"/>
        <source>Sessions are logged on cases being worked on.</source>
        <translation>جلسه فقط برای پرونده‌ای که در جریان کار است ثبت می‌شود.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="335"/>
        <source>Attendees</source>
        <translation>حاضران</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="336"/>
        <source>Topics</source>
        <translation>موضوع‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="337"/>
        <source>Summary</source>
        <translation>خلاصه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="338"/>
        <source>Decisions</source>
        <translation>تصمیم‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="339"/>
        <source>Follow-ups</source>
        <translation>پیگیری‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="389"/>
        <source>Remove the session of %1?</source>
        <translation>جلسهٔ %1 حذف شود؟</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="390"/>
        <source>Remove consultation</source>
        <translation>حذف جلسهٔ مشاوره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="393"/>
        <source>session of %1</source>
        <translation>جلسهٔ %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="396"/>
        <source>Removing consultation</source>
        <translation>در حال حذف جلسه</translation>
    </message>
</context>
<context>
    <name>ConsultationsTable</name>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="50"/>
        <source>Date</source>
        <translation>تاریخ</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="51"/>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="52"/>
        <source>Mode</source>
        <translation>نوع جلسه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="53"/>
        <source>Session (min)</source>
        <translation>جلسه (دقیقه)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="54"/>
        <source>Preparation (min)</source>
        <translation>آماده‌سازی (دقیقه)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="55"/>
        <source>Consultants</source>
        <translation>مشاوران</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/consultations_tab.py" line="56"/>
        <source>Topics</source>
        <translation>موضوع‌ها</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="216"/>
        <source>Edit contact</source>
        <translation>ویرایش فرد رابط</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="216"/>
        <source>New contact</source>
        <translation>فرد رابط تازه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="224"/>
        <source>Primary contact</source>
        <translation>رابط اصلی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="228"/>
        <source>Full name</source>
        <translation>نام و نام خانوادگی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="229"/>
        <source>Position</source>
        <translation>سمت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="230"/>
        <source>Mobile</source>
        <translation>تلفن همراه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="231"/>
        <source>Phone</source>
        <translation>تلفن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="232"/>
        <source>E-mail</source>
        <translation>ایمیل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="233"/>
        <source>National code</source>
        <translation>کد ملی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="240"/>
        <source>Save</source>
        <translation>ذخیره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="241"/>
        <source>Cancel</source>
        <translation>انصراف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="289"/>
        <source>Saving contact</source>
        <translation>در حال ذخیرهٔ فرد رابط</translation>
    </message>
</context>
<context>
    <name>ContactsTable</name>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="181"/>
        <source>Name</source>
        <translation>نام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="182"/>
        <source>Position</source>
        <translation>سمت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="184"/>
        <source>Mobile</source>
        <translation>تلفن همراه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="186"/>
        <source>Phone</source>
        <translation>تلفن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="187"/>
        <source>E-mail</source>
        <translation>ایمیل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="188"/>
        <source>Primary</source>
        <translation>اصلی</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <location filename="../../clinic_app/ui/crash.py" line="104"/>
        <source>Database problem</source>
        <translation>مشکل پایگاه داده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/crash.py" line="106"/>
        <source>Could not do this</source>
        <translation>این کار انجام نشد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/crash.py" line="107"/>
        <source>An unexpected error happened. Your saved work is safe. Please send the report below to support and restart the program if it misbehaves.</source>
        <translation>خطای پیش‌بینی‌نشده‌ای رخ داد. کارهای ذخیره‌شدهٔ شما سالم است. لطفاً گزارش زیر را برای پشتیبانی بفرستید و اگر برنامه درست کار نکرد، آن را دوباره باز کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/crash.py" line="114"/>
        <source>Unexpected error</source>
        <translation>خطای پیش‌بینی‌نشده</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="396"/>
        <source>Dashboard</source>
        <translation>پیشخوان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="407"/>
        <source>&amp;Refresh</source>
        <translation>تازه‌سازی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="422"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="608"/>
        <source>Open cases</source>
        <translation>پرونده‌های باز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="423"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="630"/>
        <source>Overdue plan actions</source>
        <translation>اقدام‌های عقب‌افتاده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="424"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="645"/>
        <source>Consultations this month</source>
        <translation>جلسه‌های مشاورهٔ این ماه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="425"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="659"/>
        <source>Units diagnosed this year</source>
        <translation>واحدهای عارضه‌یابی‌شدهٔ امسال</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="426"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="676"/>
        <source>Units revived this year</source>
        <translation>واحدهای احیاشدهٔ امسال</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="427"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="688"/>
        <source>Follow-ups due</source>
        <translation>پیگیری‌های سررسیده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="436"/>
        <source>Open cases by status</source>
        <translation>پرونده‌های باز بر پایهٔ وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="439"/>
        <source>Open cases by consultant</source>
        <translation>پرونده‌های باز هر مشاور</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="449"/>
        <source>Click a figure to see the list behind it.</source>
        <translation>برای دیدن فهرست پشت هر عدد، روی آن بزنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="495"/>
        <source>Reading the dashboard</source>
        <translation>خواندن پیشخوان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="503"/>
        <source>Reading today&apos;s visits</source>
        <translation>در حال خواندن بازدیدهای امروز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="510"/>
        <source>Reading the follow-ups due</source>
        <translation>خواندن پیگیری‌های سررسیده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="521"/>
        <source>%1 overdue</source>
        <translation>%1 عقب‌افتاده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="531"/>
        <source>any time</source>
        <translation>بی‌ساعت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="536"/>
        <source>Planned for today (%1): </source>
        <translation>برنامهٔ امروز (%1): </translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="538"/>
        <source> and %1 more</source>
        <translation> و %1 مورد دیگر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="539"/>
        <source>Open the agenda</source>
        <translation>برنامهٔ هفته</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="545"/>
        <source>as of %1 · month: %2 · year: %3</source>
        <translation>تا تاریخ %1 · ماه: %2 · سال: %3</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="554"/>
        <source>%1 waiting for intake</source>
        <translation>%1 در انتظار پذیرش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="559"/>
        <source>%1 hours of contact</source>
        <translation>%1 ساعت حضوری</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="565"/>
        <source>of HQ&apos;s target of %1 (%2%)</source>
        <translation>از هدف ستاد %1 (%2٪)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="567"/>
        <source>of a target of %1 (%2%)</source>
        <translation>از هدف %1 (%2٪)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="573"/>
        <source>HQ has set no target for this year</source>
        <translation>ستاد برای امسال هدفی تعیین نکرده است</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="575"/>
        <source>no annual target set</source>
        <translation>هدف سالانه تعیین نشده است</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="595"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="632"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="648"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="662"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="681"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="695"/>
        <source>Case</source>
        <translation>پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="596"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="633"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="649"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="661"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="678"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="690"/>
        <source>Enterprise</source>
        <translation>واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="597"/>
        <source>Park</source>
        <translation>شهرک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="598"/>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="599"/>
        <source>Opened on</source>
        <translation>تاریخ گشایش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="600"/>
        <source>Lead consultant</source>
        <translation>مشاور مسئول</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="623"/>
        <source>Open cases of %1</source>
        <translation>پرونده‌های باز %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="634"/>
        <source>Action</source>
        <translation>اقدام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="635"/>
        <source>Owner</source>
        <translation>مسئول</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="636"/>
        <location filename="../../clinic_app/ui/dashboard.py" line="700"/>
        <source>Due on</source>
        <translation>سررسید</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="637"/>
        <source>Days overdue</source>
        <translation>روز تأخیر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="638"/>
        <source>Progress</source>
        <translation>پیشرفت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="647"/>
        <source>Held on</source>
        <translation>تاریخ جلسه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="650"/>
        <source>Mode</source>
        <translation>شیوه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="651"/>
        <source>Contact (minutes)</source>
        <translation>حضوری (دقیقه)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="652"/>
        <source>Consultants</source>
        <translation>مشاوران</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="663"/>
        <source>Diagnosed on</source>
        <translation>تاریخ عارضه‌یابی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="665"/>
        <source>Overall score</source>
        <translation>امتیاز کل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="679"/>
        <source>Revived on</source>
        <translation>تاریخ احیا</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="680"/>
        <source>Revived from</source>
        <translation>وضعیت پیش از احیا</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="692"/>
        <source>Phone numbers</source>
        <translation>شماره‌های تماس</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="697"/>
        <source>Follow-up</source>
        <translation>پیگیری</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="698"/>
        <source>%1 months</source>
        <translation>%1 ماهه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="701"/>
        <source>State</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="701"/>
        <source>Overdue</source>
        <translation>عقب‌افتاده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/dashboard.py" line="701"/>
        <source>Due</source>
        <translation>سررسیده</translation>
    </message>
</context>
<context>
    <name>DeletedItems</name>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="562"/>
        <source>What</source>
        <translation>نوع</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="563"/>
        <source>Item</source>
        <translation>مورد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="564"/>
        <source>Case or enterprise</source>
        <translation>پرونده یا واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="565"/>
        <source>Removed</source>
        <translation>زمان حذف</translation>
    </message>
</context>
<context>
    <name>DiagnosisTab</name>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="391"/>
        <source>Start a diagnosis…</source>
        <translation>شروع عارضه‌یابی…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="396"/>
        <source>Save answers</source>
        <translation>ذخیرهٔ پاسخ‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="398"/>
        <source>Save answers (Ctrl+S)</source>
        <translation>ذخیرهٔ پاسخ‌ها (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="400"/>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="825"/>
        <source>Finalize</source>
        <translation>نهایی کردن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="402"/>
        <source>Save, compute the scores and derive the findings</source>
        <translation>ذخیره، محاسبهٔ امتیازها و استخراج عارضه‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="404"/>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="849"/>
        <source>Discard draft</source>
        <translation>دور انداختن پیش‌نویس</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="421"/>
        <source>Question</source>
        <translation>پرسش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="421"/>
        <source>Score</source>
        <translation>امتیاز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="461"/>
        <source>Add finding…</source>
        <translation>افزودن عارضه…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="464"/>
        <source>Edit…</source>
        <translation>ویرایش…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="466"/>
        <source>Remove</source>
        <translation>حذف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="468"/>
        <source>Draft plan actions from findings</source>
        <translation>پیشنهاد اقدام‌های برنامه از عارضه‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="476"/>
        <source>Findings</source>
        <translation>عارضه‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="491"/>
        <source>Questionnaire</source>
        <translation>پرسش‌نامه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="498"/>
        <source>Scores and findings</source>
        <translation>امتیازها و عارضه‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="536"/>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="549"/>
        <source>A suspended or closed case gets no new diagnosis.</source>
        <translation>برای پروندهٔ معلق یا بسته عارضه‌یابی تازه‌ای آغاز نمی‌شود.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="538"/>
        <source>Moves the case from intake to diagnosis and starts it.</source>
        <translation>پرونده را از پذیرش به مرحلهٔ عارضه‌یابی می‌برد و عارضه‌یابی را آغاز می‌کند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="624"/>
        <source>N/A</source>
        <translation>نامربوط</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="540"/>
        <source>Finish or discard the draft diagnosis first.</source>
        <translation>ابتدا عارضه‌یابی پیش‌نویس را نهایی کنید یا دور بیندازید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="547"/>
        <source>This case has no diagnosis yet. Start one from the template.</source>
        <translation>این پرونده هنوز عارضه‌یابی ندارد. یکی را از روی الگو آغاز کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="571"/>
        <source>Locked: a reviewer must reopen it before it can be changed.</source>
        <translation>قفل است: تا بازبین آن را بازگشایی نکند تغییر نمی‌کند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="633"/>
        <source>%1 of %2 answered</source>
        <translation>%1 از %2 پاسخ داده شده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="698"/>
        <source>Overall score: %1 of %2 (%3)</source>
        <translation>امتیاز کل: %1 از %2 (%3)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="704"/>
        <source>with answers not saved yet</source>
        <translation>با پاسخ‌هایی که هنوز ذخیره نشده‌اند</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="727"/>
        <source>No dimension is weak: there is nothing to draft.</source>
        <translation>هیچ محوری ضعیف نیست؛ اقدامی برای پیشنهاد نیست.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="794"/>
        <source>Saving answers</source>
        <translation>در حال ذخیرهٔ پاسخ‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="819"/>
        <source>Finalize the diagnosis</source>
        <translation>نهایی کردن عارضه‌یابی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="821"/>
        <source>Finalize the diagnosis? The answers are saved, the scores stored, and a finding is derived from every answer scored 1 or 2. Scores can be changed afterwards only while the case is still in diagnosis.</source>
        <translation>عارضه‌یابی نهایی شود؟ پاسخ‌ها ذخیره و امتیازها ثبت می‌شوند و از هر پاسخ با امتیاز ۱ یا ۲ یک عارضه برمی‌آید. پس از این، امتیازها تنها تا وقتی پرونده در مرحلهٔ عارضه‌یابی است تغییر می‌کنند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="839"/>
        <source>The diagnosis is final: scores computed and findings derived.</source>
        <translation>عارضه‌یابی نهایی شد: امتیازها محاسبه و عارضه‌ها استخراج شدند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="842"/>
        <source>Finalizing diagnosis</source>
        <translation>در حال نهایی کردن عارضه‌یابی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="849"/>
        <source>Discard this draft diagnosis and its answers?</source>
        <translation>این عارضه‌یابی پیش‌نویس و پاسخ‌هایش دور انداخته شود؟</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="856"/>
        <source>Discarding</source>
        <translation>در حال دور انداختن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="879"/>
        <source>Remove finding</source>
        <translation>حذف عارضه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="879"/>
        <source>Remove the finding «%1»?</source>
        <translation>عارضهٔ «%1» حذف شود؟</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="885"/>
        <source>Removing finding</source>
        <translation>در حال حذف عارضه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="898"/>
        <source>%1 actions were drafted in the plan.</source>
        <translation>%1 اقدام به برنامه پیشنهاد شد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="900"/>
        <source>The plan already has every action these findings suggest.</source>
        <translation>برنامه همهٔ اقدام‌هایی را که این عارضه‌ها پیشنهاد می‌کنند دارد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="907"/>
        <source>Drafting actions</source>
        <translation>در حال پیشنهاد اقدام‌ها</translation>
    </message>
</context>
<context>
    <name>DimensionScoresTable</name>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="84"/>
        <source>Dimension</source>
        <translation>محور</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="85"/>
        <source>Score</source>
        <translation>امتیاز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="86"/>
        <source>Weak</source>
        <translation>ضعیف</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="348"/>
        <source>Ready</source>
        <translation>آماده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="363"/>
        <source>Clinic: %1</source>
        <translation>کلینیک: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="364"/>
        <source>MoU party: %1</source>
        <translation>طرف تفاهم‌نامه: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="365"/>
        <source>Province: %1</source>
        <translation>استان: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="366"/>
        <source>Annual diagnosis target: %1</source>
        <translation>هدف سالانهٔ عارضه‌یابی: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="367"/>
        <source>Parks served: %1</source>
        <translation>شهرک‌های تحت پوشش: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="368"/>
        <source>Administrator: %1</source>
        <translation>مدیر سامانه: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="370"/>
        <source>Press Finish to save and start working.</source>
        <translation>برای ذخیره و آغاز کار، «پایان» را بزنید.</translation>
    </message>
</context>
<context>
    <name>DuplicateDialog</name>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="403"/>
        <source>Possible duplicate</source>
        <translation>احتمال ثبت تکراری</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="407"/>
        <source>An enterprise with this national ID is already registered. A national ID belongs to one legal entity, so open the existing record instead of making a second one.</source>
        <translation>واحدی با این شناسهٔ ملی پیش‌تر ثبت شده است. هر شناسهٔ ملی از آنِ یک شخص حقوقی است؛ به جای ثبت دوباره، همان واحد ثبت‌شده را باز کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="412"/>
        <source>An enterprise with a similar name is already registered in this park. Open it, or save anyway if this is a different enterprise.</source>
        <translation>واحدی با نام مشابه در همین شهرک ثبت شده است. آن را باز کنید، یا اگر واحد دیگری است، با این حال ذخیره کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="428"/>
        <source>Open existing record</source>
        <translation>باز کردن رکورد موجود</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="435"/>
        <source>Save anyway</source>
        <translation>با این حال ذخیره شود</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="439"/>
        <source>Back to the form</source>
        <translation>بازگشت به فرم</translation>
    </message>
</context>
<context>
    <name>EnterpriseForm</name>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="519"/>
        <source>11 digits</source>
        <translation>۱۱ رقم</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="524"/>
        <source>(all provinces)</source>
        <translation>(همهٔ استان‌ها)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="539"/>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="544"/>
        <source>(not set)</source>
        <translation>(تعیین نشده)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="553"/>
        <source>(none)</source>
        <translation>(ندارد)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="579"/>
        <source>Identity</source>
        <translation>هویت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="581"/>
        <source>Name</source>
        <translation>نام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="582"/>
        <source>National ID</source>
        <translation>شناسهٔ ملی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="583"/>
        <source>Economic code</source>
        <translation>کد اقتصادی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="584"/>
        <source>Registration no.</source>
        <translation>شمارهٔ ثبت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="588"/>
        <source>Location and contact</source>
        <translation>نشانی و تماس</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="590"/>
        <source>Province</source>
        <translation>استان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="591"/>
        <source>Park or zone</source>
        <translation>شهرک یا ناحیهٔ صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="592"/>
        <source>Address</source>
        <translation>نشانی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="593"/>
        <source>Postal code</source>
        <translation>کد پستی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="594"/>
        <source>Phone</source>
        <translation>تلفن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="595"/>
        <source>E-mail</source>
        <translation>ایمیل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="599"/>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="603"/>
        <source>Activity</source>
        <translation>فعالیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="601"/>
        <source>ISIC class</source>
        <translation>رستهٔ فعالیت (ISIC)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="602"/>
        <source>ISIC section</source>
        <translation>بخش ISIC</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="604"/>
        <source>Products</source>
        <translation>محصولات</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="605"/>
        <source>Employees</source>
        <translation>کارکنان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="606"/>
        <source>Established on</source>
        <translation>تاریخ تأسیس</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="610"/>
        <source>Licence and status</source>
        <translation>مجوز و وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="612"/>
        <source>Licence</source>
        <translation>مجوز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="613"/>
        <source>Licence no.</source>
        <translation>شمارهٔ مجوز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="614"/>
        <source>Licence date</source>
        <translation>تاریخ مجوز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="615"/>
        <source>Operating status</source>
        <translation>وضعیت واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="616"/>
        <source>Construction progress (%)</source>
        <translation>پیشرفت احداث (درصد)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="617"/>
        <source>Capacity utilisation (%)</source>
        <translation>بهره‌برداری از ظرفیت (درصد)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="618"/>
        <source>Notes</source>
        <translation>یادداشت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="640"/>
        <source>Save the enterprise first; then add its contact people here.</source>
        <translation>ابتدا واحد را ذخیره کنید؛ سپس افراد رابط آن را اینجا بیفزایید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="642"/>
        <source>Add contact…</source>
        <translation>افزودن فرد رابط…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="645"/>
        <source>Edit…</source>
        <translation>ویرایش…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="647"/>
        <source>Remove</source>
        <translation>حذف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="660"/>
        <source>Details</source>
        <translation>مشخصات</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="661"/>
        <source>Contacts</source>
        <translation>افراد رابط</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="663"/>
        <source>Outreach</source>
        <translation>جذب</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="668"/>
        <source>Transfer to another clinic…</source>
        <translation>انتقال به کلینیک دیگر…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="671"/>
        <source>Save</source>
        <translation>ذخیره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="674"/>
        <source>Save (Ctrl+S)</source>
        <translation>ذخیره (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="676"/>
        <source>Close</source>
        <translation>بستن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="714"/>
        <source>(choose a park)</source>
        <translation>(شهرک را انتخاب کنید)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="859"/>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="860"/>
        <source>New enterprise</source>
        <translation>واحد صنعتی تازه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="861"/>
        <source>Fields marked * are required.</source>
        <translation>پر کردن خانه‌های ستاره‌دار (*) الزامی است.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="869"/>
        <source>in the recycle bin</source>
        <translation>در سطل بازیافت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="884"/>
        <source>Go to the open case</source>
        <translation>رفتن به پروندهٔ باز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="884"/>
        <source>Open a case…</source>
        <translation>تشکیل پرونده…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="887"/>
        <source>This enterprise has an open case</source>
        <translation>این واحد پروندهٔ باز دارد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="923"/>
        <source>The transfer was proposed; it waits for the other clinic&apos;s manager.</source>
        <translation>پیشنهاد انتقال ثبت شد و در انتظار پاسخ مدیر کلینیک مقصد است.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="967"/>
        <source>An enterprise with this national ID already exists:</source>
        <translation>واحدی با این شناسهٔ ملی پیش‌تر ثبت شده است:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="969"/>
        <source>An enterprise with a similar name exists in this park:</source>
        <translation>واحدی با نام مشابه در همین شهرک هست:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="1040"/>
        <source>Saving enterprise</source>
        <translation>در حال ذخیرهٔ واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="1061"/>
        <source>Please correct the fields marked in red.</source>
        <translation>لطفاً خانه‌های قرمز را اصلاح کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="1111"/>
        <source>Remove contact</source>
        <translation>حذف فرد رابط</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="1112"/>
        <source>Remove «%1» from the contacts?</source>
        <translation>«%1» از فهرست افراد رابط حذف شود؟</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="1122"/>
        <source>«%1» went to the recycle bin; Ctrl+Z brings it back.</source>
        <translation>«%1» به سطل بازیافت رفت؛ Ctrl+Z آن را بازمی‌گرداند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="1132"/>
        <source>Removing contact</source>
        <translation>در حال حذف فرد رابط</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="1144"/>
        <source>«%1» is back.</source>
        <translation>«%1» بازگردانده شد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="1154"/>
        <source>Bringing back</source>
        <translation>در حال بازگرداندن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="1190"/>
        <source>Save your changes before opening a case.</source>
        <translation>پیش از تشکیل پرونده، تغییرات را ذخیره کنید.</translation>
    </message>
</context>
<context>
    <name>EnterpriseRegistryPage</name>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="98"/>
        <source>Enterprises</source>
        <translation>واحدهای صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="112"/>
        <source>Search by name, national ID, park, city, activity or contact (Ctrl+F)</source>
        <translation>جست‌وجو در نام، شناسهٔ ملی، شهرک، شهر، فعالیت یا فرد رابط (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="121"/>
        <source>New enterprise</source>
        <translation>واحد صنعتی تازه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="123"/>
        <source>Register a new enterprise (Ctrl+N)</source>
        <translation>ثبت واحد صنعتی تازه (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="125"/>
        <source>Recycle bin</source>
        <translation>سطل بازیافت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="135"/>
        <source>All provinces</source>
        <translation>همهٔ استان‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="138"/>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="433"/>
        <source>All parks</source>
        <translation>همهٔ شهرک‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="142"/>
        <source>Any operating status</source>
        <translation>همهٔ وضعیت‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="147"/>
        <source>Any region</source>
        <translation>همهٔ مناطق</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="148"/>
        <source>Deprived regions</source>
        <translation>مناطق کمتر برخوردار</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="149"/>
        <source>Not deprived</source>
        <translation>غیر از مناطق کمتر برخوردار</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="152"/>
        <source>With or without a case</source>
        <translation>با پرونده یا بی‌پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="153"/>
        <source>Has an open case</source>
        <translation>دارای پروندهٔ باز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="154"/>
        <source>No open case</source>
        <translation>بدون پروندهٔ باز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="155"/>
        <source>Clear filters</source>
        <translation>پاک کردن پالایه‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="187"/>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="474"/>
        <source>Open</source>
        <translation>باز کردن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="190"/>
        <source>Delete</source>
        <translation>حذف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="192"/>
        <source>Move the selected enterprise to the recycle bin (Del)</source>
        <translation>انتقال واحد انتخاب‌شده به سطل بازیافت (Del)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="264"/>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="303"/>
        <source>Searching enterprises</source>
        <translation>در حال جست‌وجوی واحدها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="283"/>
        <source>Counting…</source>
        <translation>در حال شمارش…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="377"/>
        <source>Type at least two letters to search</source>
        <translation>برای جست‌وجو دست‌کم دو حرف بنویسید</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="379"/>
        <source>No enterprise matches the search</source>
        <translation>هیچ واحدی با این جست‌وجو پیدا نشد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="381"/>
        <source>%1 enterprises</source>
        <translation>%1 واحد صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="410"/>
        <source>Loading parks</source>
        <translation>در حال خواندن شهرک‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="477"/>
        <source>Move to the recycle bin</source>
        <translation>انتقال به سطل بازیافت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="505"/>
        <source>Enterprise</source>
        <translation>واحد صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="525"/>
        <source>Cannot delete</source>
        <translation>حذف ممکن نیست</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="526"/>
        <source>This enterprise has an open case. Close the case before deleting the enterprise.</source>
        <translation>این واحد پروندهٔ باز دارد. پیش از حذف واحد، پرونده را ببندید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="529"/>
        <source>Move «%1» to the recycle bin? It can be restored from there.</source>
        <translation>«%1» به سطل بازیافت برود؟ از آنجا می‌توان آن را بازگرداند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="532"/>
        <source>Delete enterprise</source>
        <translation>حذف واحد صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="532"/>
        <source>Move to recycle bin</source>
        <translation>انتقال به سطل بازیافت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="538"/>
        <source>Deleting enterprise</source>
        <translation>در حال حذف واحد</translation>
    </message>
</context>
<context>
    <name>EnterpriseTableModel</name>
    <message>
        <location filename="../../clinic_app/ui/enterprises/table_model.py" line="36"/>
        <source>Name</source>
        <translation>نام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/table_model.py" line="39"/>
        <source>National ID</source>
        <translation>شناسهٔ ملی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/table_model.py" line="45"/>
        <source>Park</source>
        <translation>شهرک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/table_model.py" line="50"/>
        <source>Province</source>
        <translation>استان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/table_model.py" line="53"/>
        <source>Operating status</source>
        <translation>وضعیت واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/table_model.py" line="59"/>
        <source>Employees</source>
        <translation>کارکنان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/table_model.py" line="64"/>
        <source>Deprived region</source>
        <translation>منطقهٔ کمتر برخوردار</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/table_model.py" line="69"/>
        <source>Open cases</source>
        <translation>پروندهٔ باز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/table_model.py" line="73"/>
        <source>Last change</source>
        <translation>آخرین تغییر</translation>
    </message>
</context>
<context>
    <name>FindingDialog</name>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="159"/>
        <source>Edit finding</source>
        <translation>ویرایش عارضه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="159"/>
        <source>Add a finding</source>
        <translation>افزودن عارضه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="184"/>
        <source>Dimension</source>
        <translation>محور</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="185"/>
        <source>Finding</source>
        <translation>عارضه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="186"/>
        <source>Severity</source>
        <translation>شدت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="187"/>
        <source>Root cause</source>
        <translation>علت ریشه‌ای</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="188"/>
        <source>Evidence</source>
        <translation>شواهد</translation>
    </message>
</context>
<context>
    <name>FindingsTable</name>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="90"/>
        <source>Severity</source>
        <translation>شدت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="91"/>
        <source>Dimension</source>
        <translation>محور</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="92"/>
        <source>Finding</source>
        <translation>عارضه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="93"/>
        <source>Root cause</source>
        <translation>علت ریشه‌ای</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="390"/>
        <location filename="../../clinic_app/ui/first_run.py" line="484"/>
        <source>Set up the clinic</source>
        <translation>راه‌اندازی کلینیک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="455"/>
        <source>Setting up the clinic</source>
        <translation>در حال راه‌اندازی کلینیک</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="37"/>
        <source>Follow-up after closure</source>
        <translation>پیگیری پس از بستن پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="40"/>
        <source>%1 — case %2, closed on %3</source>
        <translation>%1 — پروندهٔ %2، بسته‌شده در %3</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="54"/>
        <source>%1 months after closure</source>
        <translation>%1 ماه پس از بستن پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="61"/>
        <source>— choose —</source>
        <translation>— انتخاب کنید —</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="69"/>
        <source>percent, 0 to 100</source>
        <translation>درصد، از ۰ تا ۱۰۰</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="73"/>
        <source>Yes</source>
        <translation>بله</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="73"/>
        <source>No</source>
        <translation>خیر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="83"/>
        <source>Phone numbers</source>
        <translation>شماره‌های تماس</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="84"/>
        <source>Follow-up</source>
        <translation>پیگیری</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="85"/>
        <source>Date</source>
        <translation>تاریخ</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="86"/>
        <source>Operating status</source>
        <translation>وضعیت واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="87"/>
        <source>Active again?</source>
        <translation>دوباره فعال شده است؟</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="88"/>
        <source>Employees</source>
        <translation>تعداد کارکنان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="89"/>
        <source>Capacity utilisation</source>
        <translation>درصد استفاده از ظرفیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="90"/>
        <source>Sales</source>
        <translation>فروش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="91"/>
        <source>Satisfaction (1 to 5)</source>
        <translation>رضایت (۱ تا ۵)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="92"/>
        <source>What helped most</source>
        <translation>بیشترین کمک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/follow_up_dialog.py" line="93"/>
        <source>Notes</source>
        <translation>یادداشت</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <location filename="../../clinic_app/ui/widgets/form_dialog.py" line="54"/>
        <source>Save</source>
        <translation>ذخیره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/widgets/form_dialog.py" line="57"/>
        <source>Cancel</source>
        <translation>انصراف</translation>
    </message>
</context>
<context>
    <name>Guard</name>
    <message>
        <location filename="../../clinic_app/ui/guard.py" line="29"/>
        <source>Unsaved changes</source>
        <translation>تغییرات ذخیره‌نشده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/guard.py" line="32"/>
        <source>What you typed has not been saved. Save it before leaving?</source>
        <translation>آنچه وارد کرده‌اید ذخیره نشده است. پیش از رفتن ذخیره شود؟</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/guard.py" line="39"/>
        <source>Save</source>
        <translation>ذخیره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/guard.py" line="40"/>
        <source>Discard</source>
        <translation>دور انداختن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/guard.py" line="41"/>
        <source>Cancel</source>
        <translation>انصراف</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="35"/>
        <source>Contents</source>
        <translation>فهرست راهنما</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="36"/>
        <source>Your first day</source>
        <translation>راهنمای روز اول</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="37"/>
        <source>Dashboard</source>
        <translation>پیشخوان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="38"/>
        <source>Enterprises</source>
        <translation>واحدهای صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="39"/>
        <source>Enterprise form</source>
        <translation>فرم واحد صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="40"/>
        <source>Cases</source>
        <translation>پرونده‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="41"/>
        <source>Case: overview and workflow</source>
        <translation>پرونده: نمای کلی و گردش کار</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="42"/>
        <source>Case: diagnosis</source>
        <translation>پرونده: عارضه‌یابی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="43"/>
        <source>Case: capacity-building plan</source>
        <translation>پرونده: برنامهٔ ارتقای توانمندی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="44"/>
        <source>Case: consultations</source>
        <translation>پرونده: جلسه‌های مشاوره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="45"/>
        <source>Case: monitoring</source>
        <translation>پرونده: پایش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="46"/>
        <source>Case: attachments</source>
        <translation>پرونده: پیوست‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="47"/>
        <source>Case: history</source>
        <translation>پرونده: تاریخچه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="48"/>
        <source>Consultation agenda</source>
        <translation>برنامهٔ هفتگی جلسه‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="49"/>
        <source>Reports</source>
        <translation>گزارش‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="50"/>
        <source>Report preview and printing</source>
        <translation>پیش‌نمایش و چاپ گزارش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="51"/>
        <source>Many case reports at once</source>
        <translation>گزارش چند پرونده با هم</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="52"/>
        <source>Outreach worklist</source>
        <translation>فهرست جذب واحدها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="53"/>
        <source>Sync with HQ</source>
        <translation>همگام‌سازی با ستاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="54"/>
        <source>Conflicts</source>
        <translation>ناسازگاری‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="55"/>
        <source>Users</source>
        <translation>کاربران</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="56"/>
        <source>Settings, backup and restore</source>
        <translation>تنظیمات، پشتیبان‌گیری و بازیابی</translation>
    </message>
</context>
<context>
    <name>HelpWindow</name>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="138"/>
        <source>Help</source>
        <translation>راهنما</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="159"/>
        <source>Back</source>
        <translation>بازگشت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="162"/>
        <source>First-day guide</source>
        <translation>راهنمای روز اول</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="167"/>
        <source>Close</source>
        <translation>بستن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="192"/>
        <source>This help page is missing from the installation.</source>
        <translation>این صفحهٔ راهنما در نصب برنامه نیست؛ برنامه را دوباره نصب کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/help.py" line="196"/>
        <source>Help — %1</source>
        <translation>راهنما — %1</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="99"/>
        <source>History of %1</source>
        <translation>سابقهٔ حساب %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="105"/>
        <source>No changes recorded.</source>
        <translation>تغییری ثبت نشده است.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="107"/>
        <source>Close</source>
        <translation>بستن</translation>
    </message>
</context>
<context>
    <name>HistoryTab</name>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="589"/>
        <source>Filter by who, what or value</source>
        <translation>پالایش بر پایهٔ کاربر، بخش یا مقدار</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="593"/>
        <source>No change has been recorded on this case here yet (imported data comes without history).</source>
        <translation>هنوز تغییری روی این پرونده در این رایانه ثبت نشده است (داده‌های واردشده سابقه ندارند).</translation>
    </message>
</context>
<context>
    <name>HistoryTable</name>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="464"/>
        <source>Case</source>
        <translation>پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="465"/>
        <source>Status change</source>
        <translation>تغییر وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="466"/>
        <source>Consultant on the case</source>
        <translation>مشاور پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="467"/>
        <source>Diagnosis</source>
        <translation>عارضه‌یابی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="468"/>
        <source>Diagnosis answer</source>
        <translation>پاسخ عارضه‌یابی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="469"/>
        <source>Finding</source>
        <translation>عارضه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="470"/>
        <source>Plan</source>
        <translation>برنامه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="471"/>
        <source>Plan action</source>
        <translation>اقدام برنامه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="472"/>
        <source>Action and finding link</source>
        <translation>پیوند اقدام و عارضه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="473"/>
        <source>Consultation</source>
        <translation>جلسهٔ مشاوره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="474"/>
        <source>Consultant of a session</source>
        <translation>مشاور جلسه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="475"/>
        <source>Action worked on in a session</source>
        <translation>اقدام بررسی‌شده در جلسه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="476"/>
        <source>Indicator</source>
        <translation>شاخص</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="477"/>
        <source>Measurement</source>
        <translation>اندازه‌گیری</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="478"/>
        <source>Attachment</source>
        <translation>پیوست</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="481"/>
        <source>Added</source>
        <translation>افزوده شد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="482"/>
        <source>Changed</source>
        <translation>تغییر کرد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="483"/>
        <source>Removed</source>
        <translation>حذف شد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="484"/>
        <source>Restored</source>
        <translation>بازگردانده شد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="487"/>
        <source>status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="488"/>
        <source>title</source>
        <translation>عنوان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="489"/>
        <source>score</source>
        <translation>امتیاز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="490"/>
        <source>comment</source>
        <translation>توضیح</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="491"/>
        <source>severity</source>
        <translation>شدت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="492"/>
        <source>state</source>
        <translation>حالت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="493"/>
        <source>due date</source>
        <translation>تاریخ سررسید</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="494"/>
        <source>start date</source>
        <translation>تاریخ شروع</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="495"/>
        <source>progress</source>
        <translation>پیشرفت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="496"/>
        <source>budget</source>
        <translation>بودجه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="497"/>
        <source>owner</source>
        <translation>مسئول</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="498"/>
        <source>date held</source>
        <translation>تاریخ جلسه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="499"/>
        <source>summary</source>
        <translation>خلاصه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="500"/>
        <source>value</source>
        <translation>مقدار</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="501"/>
        <source>note</source>
        <translation>یادداشت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="502"/>
        <source>removed</source>
        <translation>حذف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="566"/>
        <source>When</source>
        <translation>زمان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="567"/>
        <source>Who</source>
        <translation>کاربر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="568"/>
        <source>What</source>
        <translation>بخش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="569"/>
        <source>Change</source>
        <translation>تغییر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="570"/>
        <source>Field</source>
        <translation>خانه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="571"/>
        <source>Before</source>
        <translation>پیش از تغییر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="573"/>
        <source>After</source>
        <translation>پس از تغییر</translation>
    </message>
</context>
<context>
    <name>IndicatorDialog</name>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="73"/>
        <source>Add an indicator</source>
        <translation>افزودن شاخص</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="80"/>
        <source>Leave empty for the standard title</source>
        <translation>برای عنوان استاندارد خالی بگذارید</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="82"/>
        <source>Leave empty for the standard unit</source>
        <translation>برای واحد استاندارد خالی بگذارید</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="83"/>
        <source>Kind</source>
        <translation>نوع</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="84"/>
        <source>Title</source>
        <translation>عنوان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="85"/>
        <source>Unit</source>
        <translation>واحد</translation>
    </message>
</context>
<context>
    <name>IndicatorsTable</name>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="53"/>
        <source>Indicator</source>
        <translation>شاخص</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="54"/>
        <source>Unit</source>
        <translation>واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="55"/>
        <source>Baseline</source>
        <translation>مقدار پایه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="56"/>
        <source>Latest follow-up</source>
        <translation>آخرین پایش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="57"/>
        <source>Change</source>
        <translation>تغییر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="58"/>
        <source>Measurements</source>
        <translation>اندازه‌گیری‌ها</translation>
    </message>
</context>
<context>
    <name>IntroPage</name>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="51"/>
        <source>Welcome</source>
        <translation>خوش آمدید</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="52"/>
        <source>This computer has no clinic yet. Set one up to start working.</source>
        <translation>روی این رایانه هنوز کلینیکی تعریف نشده است. برای آغاز کار، آن را راه‌اندازی کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="53"/>
        <source>Set up a new clinic on this computer</source>
        <translation>راه‌اندازی کلینیک تازه روی این رایانه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="56"/>
        <source>Enrol with headquarters (HQ)</source>
        <translation>ثبت‌نام نزد ستاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="61"/>
        <source>Enrolling with HQ will fetch your clinic&apos;s details from the central server. It becomes available once synchronisation with HQ is added; until then, set the clinic up here. Its data will be sent to HQ when sync is turned on.</source>
        <translation>با ثبت‌نام نزد ستاد، مشخصات کلینیک از کارگزار مرکزی گرفته می‌شود. این گزینه پس از افزوده شدن همگام‌سازی با ستاد فعال می‌شود؛ تا آن زمان کلینیک را همین‌جا راه‌اندازی کنید. داده‌های آن پس از روشن شدن همگام‌سازی برای ستاد فرستاده می‌شود.</translation>
    </message>
</context>
<context>
    <name>JalaliCalendarPopup</name>
    <message>
        <location filename="../../clinic_app/ui/widgets/jalali_date_edit.py" line="68"/>
        <source>Previous month</source>
        <translation>ماه قبل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/widgets/jalali_date_edit.py" line="74"/>
        <source>Next month</source>
        <translation>ماه بعد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/widgets/jalali_date_edit.py" line="121"/>
        <source>Today</source>
        <translation>امروز</translation>
    </message>
</context>
<context>
    <name>JalaliDateEdit</name>
    <message>
        <location filename="../../clinic_app/ui/widgets/jalali_date_edit.py" line="252"/>
        <source>e.g. 1403/07/15</source>
        <translation>مثلاً ۱۴۰۳/۰۷/۱۵</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/widgets/jalali_date_edit.py" line="254"/>
        <source>Type a Jalali date, year first (e.g. 1403/07/15), or press F4 for the calendar</source>
        <translation>تاریخ شمسی را با سال در آغاز بنویسید (مثلاً ۱۴۰۳/۰۷/۱۵) یا برای تقویم F4 را بزنید</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/widgets/jalali_date_edit.py" line="263"/>
        <source>Choose from the calendar (F4)</source>
        <translation>انتخاب از تقویم (F4)</translation>
    </message>
</context>
<context>
    <name>LazyIdTableModel</name>
    <message>
        <location filename="../../clinic_app/ui/widgets/lazy_model.py" line="272"/>
        <source>Click to sort</source>
        <translation>برای مرتب‌سازی کلیک کنید</translation>
    </message>
</context>
<context>
    <name>LineChart</name>
    <message>
        <location filename="../../clinic_app/ui/widgets/charts.py" line="183"/>
        <source>No measurements yet</source>
        <translation>هنوز اندازه‌گیری‌ای ثبت نشده است</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="206"/>
        <source>Business Clinic</source>
        <translation>کلینیک کسب‌وکار</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="282"/>
        <source>User: %1 (%2)</source>
        <translation>کاربر: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="285"/>
        <source>Database: %1</source>
        <translation>پایگاه داده: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="231"/>
        <source>Sync: …</source>
        <translation>همگام‌سازی: …</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="138"/>
        <source>Opening the database…</source>
        <translation>در حال باز کردن پایگاه داده…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="260"/>
        <source>Today&apos;s backup is on this PC only</source>
        <translation>پشتیبان امروز فقط روی همین رایانه است</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="262"/>
        <source>Today&apos;s backup was not made</source>
        <translation>پشتیبان امروز گرفته نشد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="271"/>
        <source>Backup</source>
        <translation>پشتیبان‌گیری</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="280"/>
        <source>User: %1</source>
        <translation>کاربر: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="292"/>
        <source>&amp;File</source>
        <translation>فایل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="293"/>
        <source>&amp;Back up now</source>
        <translation>پشتیبان‌گیری اکنون</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="298"/>
        <source>&amp;Sign out</source>
        <translation>خروج از حساب</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="302"/>
        <source>&amp;Quit</source>
        <translation>بستن برنامه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="309"/>
        <source>&amp;Go</source>
        <translation>رفتن به</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="311"/>
        <source>&amp;Refresh</source>
        <translation>تازه‌سازی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="318"/>
        <source>&amp;Help</source>
        <translation>راهنما</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="321"/>
        <source>&amp;Help for this screen</source>
        <translation>راهنمای این صفحه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="325"/>
        <source>&amp;First-day guide</source>
        <translation>راهنمای روز اول</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="330"/>
        <source>&amp;About</source>
        <translation>دربارهٔ برنامه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="441"/>
        <source>The case workspace is not available in this version yet.</source>
        <translation>میز کار پرونده در این نسخه هنوز در دسترس نیست.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="507"/>
        <source>Sync: unknown</source>
        <translation>همگام‌سازی: نامعلوم</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="511"/>
        <source>Working…</source>
        <translation>در حال انجام…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="551"/>
        <source>About</source>
        <translation>دربارهٔ برنامه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="552"/>
        <source>Business Clinic case management
Version %1</source>
        <translation>سامانهٔ مدیریت پرونده‌های کلینیک کسب‌وکار
نسخهٔ %1</translation>
    </message>
</context>
<context>
    <name>MeasurementDialog</name>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="101"/>
        <source>Record a measurement</source>
        <translation>ثبت اندازه‌گیری</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="110"/>
        <source>e.g. 1250 or ۱۲٫۵</source>
        <translation>مثلاً ۱۲۵۰ یا ۱۲٫۵</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="111"/>
        <source>This is the baseline (before the clinic&apos;s work)</source>
        <translation>این مقدار پایه است (پیش از کار کلینیک)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="118"/>
        <source>Indicator</source>
        <translation>شاخص</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="119"/>
        <source>Measured on</source>
        <translation>تاریخ اندازه‌گیری</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="120"/>
        <source>Value</source>
        <translation>مقدار</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="122"/>
        <source>Note</source>
        <translation>یادداشت</translation>
    </message>
</context>
<context>
    <name>MonitoringTab</name>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="153"/>
        <source>Add the standard indicators</source>
        <translation>افزودن شاخص‌های استاندارد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="156"/>
        <source>Add indicator…</source>
        <translation>افزودن شاخص…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="159"/>
        <source>Record a measurement…</source>
        <translation>ثبت اندازه‌گیری…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="162"/>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="235"/>
        <source>Remove indicator</source>
        <translation>حذف شاخص</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="170"/>
        <source>Record a baseline before the work starts and follow-ups after it, to show the impact.</source>
        <translation>برای نشان دادن اثر کار، پیش از آغاز، مقدار پایه و پس از آن، پایش‌ها را ثبت کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="213"/>
        <source>Adding indicators</source>
        <translation>در حال افزودن شاخص‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="234"/>
        <source>Remove the indicator «%1» and its measurements?</source>
        <translation>شاخص «%1» و اندازه‌گیری‌هایش حذف شود؟</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/monitoring_tab.py" line="239"/>
        <source>Removing indicator</source>
        <translation>در حال حذف شاخص</translation>
    </message>
</context>
<context>
    <name>NotAvailablePage</name>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="72"/>
        <source>“%1” is not available in this version yet.</source>
        <translation>بخش «%1» در این نسخه هنوز در دسترس نیست.</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="70"/>
        <source>Reason</source>
        <translation>دلیل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="70"/>
        <source>Note (optional)</source>
        <translation>یادداشت (اختیاری)</translation>
    </message>
</context>
<context>
    <name>OpenCaseDialog</name>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="329"/>
        <source>Open a case</source>
        <translation>تشکیل پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="339"/>
        <source>e.g. park management, the enterprise itself</source>
        <translation>مثلاً مدیریت شهرک، خود واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="344"/>
        <source>(assign later)</source>
        <translation>(بعداً تعیین می‌شود)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="351"/>
        <source>Opened on</source>
        <translation>تاریخ تشکیل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="352"/>
        <source>Referred by</source>
        <translation>معرفی‌کننده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="353"/>
        <source>Main problem</source>
        <translation>مسئلهٔ اصلی واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="354"/>
        <source>Lead consultant</source>
        <translation>مشاور مسئول</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="359"/>
        <source>Open case</source>
        <translation>تشکیل پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="360"/>
        <source>Cancel</source>
        <translation>انصراف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="380"/>
        <source>Opening case</source>
        <translation>در حال تشکیل پرونده</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <location filename="../../clinic_app/ui/operations.py" line="150"/>
        <source>Cancelling…</source>
        <translation>در حال لغو…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/operations.py" line="175"/>
        <source>Working</source>
        <translation>در حال انجام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/operations.py" line="176"/>
        <source>Please wait…</source>
        <translation>لطفاً صبر کنید…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/operations.py" line="182"/>
        <source>Cancel</source>
        <translation>لغو</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/operations.py" line="343"/>
        <source>Database problem</source>
        <translation>مشکل پایگاه داده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/operations.py" line="345"/>
        <source>Could not do this</source>
        <translation>این کار انجام نشد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/operations.py" line="351"/>
        <source>Unexpected error</source>
        <translation>خطای پیش‌بینی‌نشده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/operations.py" line="352"/>
        <source>Something went wrong and the work was not finished. A report was saved:</source>
        <translation>مشکلی پیش آمد و کار به پایان نرسید. گزارشی از آن ذخیره شد:</translation>
    </message>
</context>
<context>
    <name>OutreachContactDialog</name>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="91"/>
        <source>Record a contact</source>
        <translation>ثبت تماس</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="94"/>
        <source>(choose)</source>
        <translation>(انتخاب کنید)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="105"/>
        <source>Enterprise</source>
        <translation>واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="106"/>
        <source>Outcome</source>
        <translation>نتیجهٔ تماس</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="107"/>
        <source>Date</source>
        <translation>تاریخ تماس</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="108"/>
        <source>Note</source>
        <translation>یادداشت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="112"/>
        <source>Save</source>
        <translation>ذخیره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="113"/>
        <source>Cancel</source>
        <translation>انصراف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="131"/>
        <source>Saving the contact</source>
        <translation>ذخیرهٔ تماس</translation>
    </message>
</context>
<context>
    <name>OutreachContactsTab</name>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="115"/>
        <source>Record a contact…</source>
        <translation>ثبت تماس…</translation>
    </message>
</context>
<context>
    <name>OutreachContactsTable</name>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="96"/>
        <source>Date</source>
        <translation>تاریخ</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="99"/>
        <source>Outcome</source>
        <translation>نتیجه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/form.py" line="100"/>
        <source>Note</source>
        <translation>یادداشت</translation>
    </message>
</context>
<context>
    <name>OutreachPage</name>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="158"/>
        <source>Outreach worklist</source>
        <translation>فهرست جذب واحدها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="162"/>
        <source>All parks</source>
        <translation>همهٔ شهرک‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="164"/>
        <source>All statuses</source>
        <translation>همهٔ وضعیت‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="168"/>
        <source>All reasons</source>
        <translation>همهٔ دلیل‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="185"/>
        <source>Record a contact…</source>
        <translation>ثبت تماس…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="187"/>
        <source>Export to Excel…</source>
        <translation>خروجی اکسل…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="189"/>
        <source>Print call sheet…</source>
        <translation>چاپ برگهٔ تماس…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="194"/>
        <source>Park</source>
        <translation>شهرک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="195"/>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="196"/>
        <source>Reason</source>
        <translation>دلیل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="234"/>
        <source>Reading the worklist</source>
        <translation>خواندن فهرست جذب</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="245"/>
        <source>%1 of %2 units never diagnosed, most worth a call first.</source>
        <translation>%1 واحد از %2 واحدِ عارضه‌یابی‌نشده؛ با واحدهای بالاتر زودتر تماس بگیرید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="256"/>
        <source>Choose a unit to see why it is on the list.</source>
        <translation>برای دیدن دلیل‌ها، واحدی را در فهرست انتخاب کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="258"/>
        <source>No reason to call this unit first.</source>
        <translation>دلیلی برای تماس زودتر با این واحد نیست.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="261"/>
        <source>Why this unit (%1 points): %2</source>
        <translation>چرا این واحد (%1 امتیاز): %2</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="277"/>
        <source>Choose a unit in the list first.</source>
        <translation>پیش از این، واحدی را در فهرست انتخاب کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="289"/>
        <source>Save the worklist as</source>
        <translation>ذخیرهٔ فهرست جذب با نام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="308"/>
        <source>%1 units written to %2.</source>
        <translation>%1 واحد در فایل «%2» نوشته شد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="312"/>
        <source>Writing the Excel file</source>
        <translation>نوشتن فایل اکسل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="325"/>
        <source>Call sheet</source>
        <translation>برگهٔ تماس</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="330"/>
        <source>Making the call sheet</source>
        <translation>ساختن برگهٔ تماس</translation>
    </message>
</context>
<context>
    <name>OutreachTable</name>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="56"/>
        <source>Rank</source>
        <translation>رتبه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="57"/>
        <source>Enterprise</source>
        <translation>واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="58"/>
        <source>Park</source>
        <translation>شهرک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="59"/>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="60"/>
        <source>Employees</source>
        <translation>کارکنان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="63"/>
        <source>Phone</source>
        <translation>تلفن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="68"/>
        <source>Why</source>
        <translation>چرا این واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/outreach_page.py" line="72"/>
        <source>Last contact</source>
        <translation>آخرین تماس</translation>
    </message>
</context>
<context>
    <name>OverviewTab</name>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="227"/>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="228"/>
        <source>Enterprise</source>
        <translation>واحد صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="229"/>
        <source>Park</source>
        <translation>شهرک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="230"/>
        <source>Opened on</source>
        <translation>تاریخ تشکیل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="231"/>
        <source>Referred by</source>
        <translation>معرفی‌کننده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="232"/>
        <source>Main problem</source>
        <translation>مسئلهٔ اصلی واحد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="233"/>
        <source>Consultants</source>
        <translation>مشاوران</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="234"/>
        <source>Outcome</source>
        <translation>نتیجه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="235"/>
        <source>Edit details…</source>
        <translation>ویرایش مشخصات…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="238"/>
        <source>Assign consultant…</source>
        <translation>تخصیص مشاور…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="245"/>
        <source>Case</source>
        <translation>پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="250"/>
        <source>Next steps</source>
        <translation>گام‌های بعدی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="256"/>
        <source>Review by the province</source>
        <translation>بازبینی استان یا ستاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="261"/>
        <source>Submit diagnosis for review</source>
        <translation>فرستادن عارضه‌یابی برای بازبینی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="264"/>
        <source>Submit closure for review</source>
        <translation>فرستادن بستن پرونده برای بازبینی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="278"/>
        <source>Timeline</source>
        <translation>گاه‌شمار</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="314"/>
        <source>(from %1)</source>
        <translation>(از مرحلهٔ %1)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="326"/>
        <source>No consultant assigned yet</source>
        <translation>هنوز مشاوری تخصیص نیافته است</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="348"/>
        <source>Nothing of this case is final yet to review.</source>
        <translation>هنوز چیزی از این پرونده برای بازبینی نهایی نشده است.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="355"/>
        <source>Only a clinic manager submits work for review.</source>
        <translation>فقط مدیر کلینیک کار را برای بازبینی می‌فرستد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="362"/>
        <source>No final diagnosis waits to be submitted (finalise one; one waiting or accepted is not sent again).</source>
        <translation>عارضه‌یابی نهایی‌ای برای فرستادن نیست (یکی را نهایی کنید؛ عارضه‌یابیِ در انتظار یا پذیرفته دوباره فرستاده نمی‌شود).</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="367"/>
        <source>The closure is submitted once the case is closed (not while waiting or accepted).</source>
        <translation>بستن پرونده پس از بستن آن فرستاده می‌شود (نه در انتظار بازبینی یا پس از پذیرش).</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="376"/>
        <source>Submitting the diagnosis for review</source>
        <translation>فرستادن عارضه‌یابی برای بازبینی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="383"/>
        <source>Submitting the closure for review</source>
        <translation>فرستادن بستن پرونده برای بازبینی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="400"/>
        <source>Only a clinic manager can take this step.</source>
        <translation>این گام فقط از مدیر کلینیک برمی‌آید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="402"/>
        <source>You will be asked why.</source>
        <translation>دلیل آن پرسیده می‌شود.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="409"/>
        <source>No further step.</source>
        <translation>گام دیگری نمانده است.</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <location filename="../../clinic_app/ui/pages.py" line="45"/>
        <source>Dashboard</source>
        <translation>پیشخوان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/pages.py" line="52"/>
        <source>Enterprises</source>
        <translation>واحدهای صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/pages.py" line="59"/>
        <source>Cases</source>
        <translation>پرونده‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/pages.py" line="66"/>
        <source>Consultations</source>
        <translation>جلسه‌های مشاوره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/pages.py" line="73"/>
        <source>Reports</source>
        <translation>گزارش‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/pages.py" line="80"/>
        <source>Outreach</source>
        <translation>جذب واحدها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/pages.py" line="87"/>
        <source>Sync</source>
        <translation>همگام‌سازی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/pages.py" line="94"/>
        <source>Users</source>
        <translation>کاربران</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/pages.py" line="102"/>
        <source>Settings</source>
        <translation>تنظیمات</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/pages.py" line="111"/>
        <source>Case</source>
        <translation>پرونده</translation>
    </message>
</context>
<context>
    <name>ParksPage</name>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="139"/>
        <source>Parks served</source>
        <translation>شهرک‌های تحت پوشش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="140"/>
        <source>Tick the industrial parks and zones this clinic serves.</source>
        <translation>شهرک‌ها و نواحی صنعتی‌ای را که این کلینیک به آن‌ها خدمت می‌دهد علامت بزنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="144"/>
        <source>Filter by name…</source>
        <translation>پالایش با نام…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="147"/>
        <source>Show parks of all provinces</source>
        <translation>نمایش شهرک‌های همهٔ استان‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="157"/>
        <source>Add a park that is not in the list</source>
        <translation>افزودن شهرکی که در فهرست نیست</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="161"/>
        <source>Industrial park</source>
        <translation>شهرک صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="162"/>
        <source>Industrial zone</source>
        <translation>ناحیهٔ صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="164"/>
        <source>In a deprived region</source>
        <translation>در منطقهٔ کمتر برخوردار</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="165"/>
        <source>&amp;Add park</source>
        <translation>افزودن شهرک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="170"/>
        <source>Name:</source>
        <translation>نام:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="173"/>
        <source>City:</source>
        <translation>شهر:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="175"/>
        <source>Kind:</source>
        <translation>نوع:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="206"/>
        <source>zone</source>
        <translation>ناحیه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="206"/>
        <source>park</source>
        <translation>شهرک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="239"/>
        <source>Parks chosen: %1</source>
        <translation>شهرک‌های برگزیده: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/first_run.py" line="259"/>
        <source>Adding park</source>
        <translation>افزودن شهرک</translation>
    </message>
</context>
<context>
    <name>PathField</name>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="60"/>
        <source>Choose…</source>
        <translation>انتخاب…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="78"/>
        <source>Save the report as</source>
        <translation>ذخیرهٔ گزارش با نام</translation>
    </message>
</context>
<context>
    <name>PlanActionsTable</name>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="56"/>
        <source>Overdue: due %1, %2 days ago</source>
        <translation>عقب‌افتاده: سررسید %1، %2 روز پیش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="67"/>
        <source>Action</source>
        <translation>اقدام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="68"/>
        <source>Type</source>
        <translation>نوع</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="69"/>
        <source>Owner</source>
        <translation>مسئول اجرا</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="70"/>
        <source>Start</source>
        <translation>شروع</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="71"/>
        <source>Due</source>
        <translation>سررسید</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="72"/>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="73"/>
        <source>Progress</source>
        <translation>پیشرفت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="75"/>
        <source>Budget (Rials)</source>
        <translation>بودجه (ریال)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="85"/>
        <source>%1 days late</source>
        <translation>%1 روز دیرکرد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="94"/>
        <source>Progress is 100%: mark it done?</source>
        <translation>پیشرفت ۱۰۰٪ است: انجام‌شده علامت زده شود؟</translation>
    </message>
</context>
<context>
    <name>PlanTab</name>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="308"/>
        <source>Add action…</source>
        <translation>افزودن اقدام…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="311"/>
        <source>Edit…</source>
        <translation>ویرایش…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="314"/>
        <source>Owner and dates…</source>
        <translation>مسئول و تاریخ‌ها…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="317"/>
        <source>Give the selected actions (Ctrl or Shift + click) one owner, consultant and due date</source>
        <translation>به اقدام‌های برگزیده (با Ctrl یا Shift و کلیک) یک‌جا مسئول، مشاور پیگیر و سررسید بدهید</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="320"/>
        <source>Remove</source>
        <translation>حذف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="323"/>
        <source>Agree the plan…</source>
        <translation>ثبت توافق بر برنامه…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="332"/>
        <source>Rows in red are overdue: past their due date and neither done nor cancelled.</source>
        <translation>سطرهای قرمز عقب‌افتاده‌اند: سررسیدشان گذشته و نه انجام شده‌اند و نه لغو.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="355"/>
        <source>No plan yet</source>
        <translation>هنوز برنامه‌ای نیست</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="357"/>
        <source>Add actions, or draft them from a final diagnosis&apos;s findings (Diagnosis tab).</source>
        <translation>اقدام بیفزایید، یا آن‌ها را از عارضه‌های یک عارضه‌یابی نهایی پیشنهاد بگیرید (برگهٔ عارضه‌یابی).</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="363"/>
        <source>%1 actions</source>
        <translation>%1 اقدام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="364"/>
        <source>budget %1 Rials</source>
        <translation>بودجه %1 ریال</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="368"/>
        <source>mean progress %1%</source>
        <translation>میانگین پیشرفت %1٪</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="371"/>
        <source>%1 overdue</source>
        <translation>%1 عقب‌افتاده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="373"/>
        <source>agreed on %1</source>
        <translation>توافق در %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="409"/>
        <source>Select the actions first (Ctrl or Shift + click for several).</source>
        <translation>نخست اقدام‌ها را انتخاب کنید (برای چند اقدام: Ctrl یا Shift و کلیک).</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="425"/>
        <source>Remove action</source>
        <translation>حذف اقدام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="425"/>
        <source>Remove the action «%1»?</source>
        <translation>اقدام «%1» حذف شود؟</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="431"/>
        <source>Removing action</source>
        <translation>در حال حذف اقدام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/plan_tab.py" line="444"/>
        <source>The plan is agreed.</source>
        <translation>توافق بر برنامه ثبت شد.</translation>
    </message>
</context>
<context>
    <name>ProposeTransferDialog</name>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="238"/>
        <source>Transfer to another clinic</source>
        <translation>انتقال به کلینیک دیگر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="246"/>
        <source>The enterprise, its history and any open case go to the clinic you choose once its manager accepts. This clinic then keeps its past work to read only.</source>
        <translation>بنگاه با همهٔ سابقه و پروندهٔ بازش، پس از پذیرش مدیر کلینیک مقصد، به آن کلینیک می‌رود. این کلینیک کارهای گذشته را پس از آن فقط می‌بیند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="253"/>
        <source>(loading the clinics from HQ…)</source>
        <translation>(دریافت فهرست کلینیک‌ها از ستاد…)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="259"/>
        <source>To clinic</source>
        <translation>کلینیک مقصد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="260"/>
        <source>Note</source>
        <translation>توضیح</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="265"/>
        <source>Propose the transfer</source>
        <translation>ثبت پیشنهاد انتقال</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="267"/>
        <source>Cancel</source>
        <translation>انصراف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="286"/>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="305"/>
        <source>Asking HQ</source>
        <translation>در حال پرسش از ستاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="291"/>
        <source>(choose a clinic)</source>
        <translation>(کلینیک را برگزینید)</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <location filename="../../clinic_app/ui/file_dialogs.py" line="61"/>
        <source>File</source>
        <translation>فایل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/file_dialogs.py" line="62"/>
        <source>%1 File</source>
        <translation>فایل %1</translation>
    </message>
</context>
<context>
    <name>QuestionPanel</name>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="239"/>
        <source>Score %1 (key %1)</source>
        <translation>امتیاز %1 (کلید %1)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="243"/>
        <source>Not applicable / unknown</source>
        <translation>نامربوط / نامعلوم</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="250"/>
        <source>The question does not apply to this unit, or the answer is not known (key 0); not scored</source>
        <translation>این پرسش دربارهٔ این واحد صدق نمی‌کند یا پاسخ آن معلوم نیست (کلید ۰)؛ در امتیاز حساب نمی‌شود</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="257"/>
        <source>Guidance</source>
        <translation>راهنما</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="270"/>
        <source>Comment: what you saw, documents checked…</source>
        <translation>توضیح: آنچه دیدید، مدارکی که بررسی شد…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="272"/>
        <source>Previous</source>
        <translation>قبلی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="275"/>
        <source>Next</source>
        <translation>بعدی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="288"/>
        <source>Comment</source>
        <translation>توضیح</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="301"/>
        <source>Question %1 of %2</source>
        <translation>پرسش %1 از %2</translation>
    </message>
</context>
<context>
    <name>RadarChart</name>
    <message>
        <location filename="../../clinic_app/ui/widgets/charts.py" line="79"/>
        <source>No scores yet</source>
        <translation>هنوز امتیازی ثبت نشده است</translation>
    </message>
</context>
<context>
    <name>RecycleBinDialog</name>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="585"/>
        <source>Recycle bin</source>
        <translation>سطل بازیافت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="594"/>
        <source>Deleted enterprises stay here and can be restored; their cases and history are kept.</source>
        <translation>واحدهای حذف‌شده اینجا می‌مانند و می‌توان آن‌ها را بازگرداند؛ پرونده‌ها و سابقهٔ آن‌ها حفظ می‌شود.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="603"/>
        <source>Plan actions, findings, consultation sessions and contact people that were removed. They come back as they were.</source>
        <translation>اقدام‌های برنامه، عارضه‌ها، جلسه‌های مشاوره و افراد رابطی که حذف شده‌اند. همان‌گونه که بودند بازمی‌گردند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="618"/>
        <source>Enterprises</source>
        <translation>واحدهای صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="619"/>
        <source>Actions, findings, sessions, contacts</source>
        <translation>اقدام‌ها، عارضه‌ها، جلسه‌ها، رابط‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="623"/>
        <source>Restore</source>
        <translation>بازگردانی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="626"/>
        <source>Close</source>
        <translation>بستن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="654"/>
        <source>%1 items in the recycle bin</source>
        <translation>%1 مورد در سطل بازیافت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="656"/>
        <source>%1 enterprises in the recycle bin</source>
        <translation>%1 واحد در سطل بازیافت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="669"/>
        <source>Restoring</source>
        <translation>در حال بازگرداندن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/enterprises/registry.py" line="678"/>
        <source>Restoring enterprise</source>
        <translation>در حال بازگردانی واحد</translation>
    </message>
</context>
<context>
    <name>ReportPreviewDialog</name>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="222"/>
        <source>Report preview</source>
        <translation>پیش‌نمایش گزارش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="260"/>
        <source>Zoom out</source>
        <translation>کوچک‌نمایی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="269"/>
        <source>Zoom in</source>
        <translation>بزرگ‌نمایی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="273"/>
        <source>Fit width</source>
        <translation>هم‌عرض پنجره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="287"/>
        <source>&amp;Print…</source>
        <translation>چاپ…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="293"/>
        <source>&amp;Save as PDF…</source>
        <translation>ذخیره به‌صورت PDF…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="299"/>
        <source>&amp;Close</source>
        <translation>بستن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="345"/>
        <source>The report file could not be read: %1</source>
        <translation>فایل گزارش خوانده نشد: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="353"/>
        <source>This file is not a PDF that can be shown.</source>
        <translation>این فایل PDF قابل نمایشی نیست.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="356"/>
        <source>The report has no pages.</source>
        <translation>گزارش هیچ صفحه‌ای ندارد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="465"/>
        <source>Page %1 of %2</source>
        <translation>صفحهٔ %1 از %2</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="514"/>
        <source>Showing the report</source>
        <translation>در حال نمایش گزارش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="554"/>
        <source>Save the report as</source>
        <translation>ذخیرهٔ گزارش با نام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="557"/>
        <source>PDF files (*.pdf)</source>
        <translation>فایل‌های PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="575"/>
        <source>Not saved</source>
        <translation>ذخیره نشد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="576"/>
        <source>The report could not be saved to %1.</source>
        <translation>گزارش در %1 ذخیره نشد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="582"/>
        <source>Saved: %1</source>
        <translation>ذخیره شد: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="612"/>
        <source>Print the report</source>
        <translation>چاپ گزارش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="664"/>
        <source>There is no page to print in the range you chose.</source>
        <translation>در بازه‌ای که انتخاب کردید صفحه‌ای برای چاپ نیست.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="668"/>
        <source>The printer could not be started. Check that it is on and ready.</source>
        <translation>چاپگر آغاز به کار نکرد. روشن و آماده بودن آن را بررسی کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="690"/>
        <location filename="../../clinic_app/ui/report_preview.py" line="736"/>
        <source>Printing</source>
        <translation>در حال چاپ</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="691"/>
        <source>Cancel</source>
        <translation>انصراف</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="707"/>
        <source>Printing page %1 of %2</source>
        <translation>چاپ صفحهٔ %1 از %2</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="750"/>
        <source>The printer stopped taking pages.</source>
        <translation>چاپگر دیگر صفحه‌ای نمی‌پذیرد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="766"/>
        <source>A page of the report could not be prepared for printing.</source>
        <translation>یکی از صفحه‌های گزارش برای چاپ آماده نشد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="785"/>
        <source>Sent %1 pages to the printer.</source>
        <translation>%1 صفحه به چاپگر فرستاده شد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="789"/>
        <source>Printing was cancelled.</source>
        <translation>چاپ لغو شد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="796"/>
        <source>Not printed</source>
        <translation>چاپ نشد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="832"/>
        <source>Case report %1</source>
        <translation>گزارش پروندهٔ %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/report_preview.py" line="844"/>
        <source>Making the case report</source>
        <translation>در حال ساخت گزارش پرونده</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="146"/>
        <source>From one date to another</source>
        <translation>از یک تاریخ تا تاریخ دیگر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="161"/>
        <source>to</source>
        <translation>تا</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="187"/>
        <source>Enterprise list</source>
        <translation>فهرست واحدهای صنعتی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="190"/>
        <source>All enterprises</source>
        <translation>همه واحدها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="198"/>
        <source>Make the &amp;enterprise list</source>
        <translation>ساخت فهرست واحدها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="202"/>
        <source>Opera&amp;ting status:</source>
        <translation>وضعیت واحد:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="205"/>
        <source>Save as (PDF or Excel):</source>
        <translation>ذخیره در (PDF یا اکسل):</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="352"/>
        <source>Choose where to save the list: a .pdf or a .xlsx file.</source>
        <translation>جای ذخیرهٔ فهرست را برگزینید: فایل PDF یا اکسل (xlsx).</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="366"/>
        <source>Making the enterprise list</source>
        <translation>در حال ساخت فهرست واحدها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="107"/>
        <source>Reports</source>
        <translation>گزارش‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="117"/>
        <source>Case report</source>
        <translation>گزارش پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="122"/>
        <source>Case number, e.g. %1</source>
        <translation>شمارهٔ پرونده، مانند %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="127"/>
        <source>Make the &amp;case report</source>
        <translation>ساخت گزارش پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="131"/>
        <source>Ca&amp;se:</source>
        <translation>پرونده:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="132"/>
        <source>Save &amp;as:</source>
        <translation>ذخیره در:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="139"/>
        <source>Clinic report for a period</source>
        <translation>گزارش دوره‌ای کلینیک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="143"/>
        <source>Year</source>
        <translation>سال</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="144"/>
        <source>Quarter</source>
        <translation>فصل</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="145"/>
        <source>Month</source>
        <translation>ماه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="173"/>
        <source>Make the &amp;period report</source>
        <translation>ساخت گزارش دوره‌ای</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="177"/>
        <source>Pe&amp;riod:</source>
        <translation>دوره:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="180"/>
        <source>Save a&amp;s:</source>
        <translation>ذخیره در:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="221"/>
        <source>&amp;Open the report</source>
        <translation>باز کردن گزارش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="224"/>
        <source>Pre&amp;view and print…</source>
        <translation>&amp;پیش‌نمایش و چاپ…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="256"/>
        <source>Quarter %1</source>
        <translation>فصل %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="290"/>
        <source>Report saved:</source>
        <translation>گزارش ذخیره شد:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="309"/>
        <source>Type the case number.</source>
        <translation>شمارهٔ پرونده را بنویسید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="313"/>
        <location filename="../../clinic_app/ui/reports_page.py" line="330"/>
        <source>Choose where to save the report.</source>
        <translation>جای ذخیرهٔ گزارش را برگزینید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="325"/>
        <source>Making the case report</source>
        <translation>در حال ساخت گزارش پرونده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/reports_page.py" line="347"/>
        <source>Making the period report</source>
        <translation>در حال ساخت گزارش دوره‌ای</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="68"/>
        <source>Reset the password of %1</source>
        <translation>گذاشتن گذرواژهٔ تازه برای %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="70"/>
        <source>Set the password</source>
        <translation>ثبت گذرواژه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="76"/>
        <source>New password:</source>
        <translation>گذرواژهٔ تازه:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="77"/>
        <source>Repeat it:</source>
        <translation>تکرار گذرواژه:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="87"/>
        <source>The two passwords are not the same</source>
        <translation>دو گذرواژه یکسان نیستند</translation>
    </message>
</context>
<context>
    <name>RestorePreview</name>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="159"/>
        <source>Restore from backup</source>
        <translation>بازیابی از پشتیبان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="170"/>
        <source>File:</source>
        <translation>فایل:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="171"/>
        <source>Made on:</source>
        <translation>زمان تهیه:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="172"/>
        <source>Kind:</source>
        <translation>نوع:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="173"/>
        <source>Clinic:</source>
        <translation>کلینیک:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="174"/>
        <source>Enterprises:</source>
        <translation>واحدها:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="175"/>
        <source>Cases:</source>
        <translation>پرونده‌ها:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="176"/>
        <source>Consultations:</source>
        <translation>جلسه‌های مشاوره:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="177"/>
        <source>Size:</source>
        <translation>اندازه:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="180"/>
        <source>The database will be replaced by this backup. Work saved after the backup was made is kept as changes waiting to be sent, and the current database is backed up first. The program will close the database, restore, and ask you to sign in again.</source>
        <translation>پایگاه داده با این پشتیبان جایگزین می‌شود. کارهایی که پس از تهیهٔ پشتیبان ذخیره شده‌اند، به‌صورت تغییرات در انتظار ارسال نگه داشته می‌شوند و پیش از هر چیز از پایگاه دادهٔ کنونی پشتیبان گرفته می‌شود. برنامه پایگاه داده را می‌بندد، بازیابی می‌کند و دوباره از شما می‌خواهد وارد شوید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="187"/>
        <source>&amp;Restore</source>
        <translation>بازیابی</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="77"/>
        <source>Backup</source>
        <translation>پشتیبان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="78"/>
        <source>Backup made:</source>
        <translation>پشتیبان تهیه شد:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="89"/>
        <source>Backing up the database</source>
        <translation>در حال پشتیبان‌گیری از پایگاه داده</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="212"/>
        <source>Settings</source>
        <translation>تنظیمات</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="224"/>
        <source>General</source>
        <translation>عمومی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="226"/>
        <source>&amp;Language:</source>
        <translation>زبان:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="233"/>
        <source>&amp;Choose…</source>
        <translation>انتخاب…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="241"/>
        <source>daily</source>
        <translation>روزانه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="242"/>
        <source>weekly</source>
        <translation>هفتگی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="243"/>
        <source>monthly</source>
        <translation>ماهانه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="253"/>
        <source>Backups</source>
        <translation>پشتیبان‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="255"/>
        <source>Backup &amp;folder:</source>
        <translation>پوشهٔ پشتیبان‌ها:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="258"/>
        <source>Backups to keep:</source>
        <translation>تعداد پشتیبان‌های نگه‌داشته:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="269"/>
        <source>&amp;Back up now</source>
        <translation>پشتیبان‌گیری اکنون</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="272"/>
        <source>&amp;Restore selected…</source>
        <translation>بازیابی پشتیبان برگزیده…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="275"/>
        <source>Restore from &amp;file…</source>
        <translation>بازیابی از فایل…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="281"/>
        <source>Only a clinic manager or an administrator can restore.</source>
        <translation>تنها مدیر کلینیک یا مدیر سامانه می‌تواند بازیابی کند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="298"/>
        <source>minutes</source>
        <translation>دقیقه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="300"/>
        <source>Sync with HQ</source>
        <translation>همگام‌سازی با ستاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="302"/>
        <source>HQ &amp;server:</source>
        <translation>نشانی کارگزار ستاد:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="303"/>
        <source>Sync &amp;interval:</source>
        <translation>فاصلهٔ همگام‌سازی:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="320"/>
        <source>&amp;Save settings</source>
        <translation>ذخیرهٔ تنظیمات</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="323"/>
        <source>Re&amp;vert</source>
        <translation>بازگرداندن</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="398"/>
        <source>Could not save the settings: %1</source>
        <translation>تنظیمات ذخیره نشد: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="401"/>
        <source>Settings saved.</source>
        <translation>تنظیمات ذخیره شد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="407"/>
        <source>Language</source>
        <translation>زبان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="408"/>
        <source>The new language is used after the window is rebuilt. Rebuild it now?</source>
        <translation>زبان تازه پس از بازسازی پنجره به کار می‌رود. اکنون بازسازی شود؟</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="419"/>
        <source>The settings you changed have not been saved. Save them before leaving?</source>
        <translation>تنظیماتی که تغییر داده‌اید ذخیره نشده است. پیش از رفتن ذخیره شود؟</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="431"/>
        <source>Backup folder</source>
        <translation>پوشهٔ پشتیبان‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="457"/>
        <source>Restore</source>
        <translation>بازیابی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="458"/>
        <source>Choose a backup in the list first.</source>
        <translation>نخست یک پشتیبان را در فهرست برگزینید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="468"/>
        <source>Choose a backup</source>
        <translation>انتخاب پشتیبان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="471"/>
        <source>Backups (*.sqlite3)</source>
        <translation>پشتیبان‌ها (*.sqlite3)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/settings_page.py" line="481"/>
        <source>Reading the backup</source>
        <translation>در حال خواندن پشتیبان</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <location filename="../../clinic_app/ui/app_shell.py" line="181"/>
        <location filename="../../clinic_app/ui/app_shell.py" line="185"/>
        <source>Business Clinic</source>
        <translation>کلینیک کسب‌وکار</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../clinic_app/ui/signin.py" line="47"/>
        <location filename="../../clinic_app/ui/signin.py" line="81"/>
        <source>Sign in</source>
        <translation>ورود</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/signin.py" line="50"/>
        <source>Business Clinic</source>
        <translation>کلینیک کسب‌وکار</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/signin.py" line="70"/>
        <source>&amp;User name:</source>
        <translation>نام کاربری:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/signin.py" line="71"/>
        <source>&amp;Password:</source>
        <translation>گذرواژه:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/signin.py" line="108"/>
        <source>Enter your user name and password.</source>
        <translation>نام کاربری و گذرواژه را وارد کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/signin.py" line="117"/>
        <source>Signing in</source>
        <translation>در حال ورود</translation>
    </message>
</context>
<context>
    <name>StartDiagnosisDialog</name>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="116"/>
        <source>Start a diagnosis</source>
        <translation>آغاز عارضه‌یابی</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="116"/>
        <source>Start</source>
        <translation>آغاز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="122"/>
        <source>(choose)</source>
        <translation>(انتخاب کنید)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="130"/>
        <source>%1 (version %2)</source>
        <translation>%1 (نسخهٔ %2)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="133"/>
        <source>Template</source>
        <translation>الگو</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="134"/>
        <source>Done on</source>
        <translation>تاریخ انجام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/diagnosis_tab.py" line="135"/>
        <source>Consultant</source>
        <translation>مشاور</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../clinic_app/ui/gui_main.py" line="124"/>
        <source>The database cannot be opened</source>
        <translation>پایگاه داده باز نمی‌شود</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/gui_main.py" line="130"/>
        <source>The newest backup was made on %1.</source>
        <translation>تازه‌ترین پشتیبان در %1 تهیه شده است.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/gui_main.py" line="138"/>
        <source>Restore from the newest backup</source>
        <translation>بازیابی از تازه‌ترین پشتیبان</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/gui_main.py" line="142"/>
        <source>Try again</source>
        <translation>تلاش دوباره</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/gui_main.py" line="144"/>
        <source>Quit</source>
        <translation>بستن برنامه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/gui_main.py" line="165"/>
        <location filename="../../clinic_app/ui/gui_main.py" line="389"/>
        <source>Restoring the database</source>
        <translation>در حال بازیابی پایگاه داده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/gui_main.py" line="174"/>
        <location filename="../../clinic_app/ui/gui_main.py" line="397"/>
        <source>Restored</source>
        <translation>بازیابی شد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/gui_main.py" line="175"/>
        <source>The database was restored from the backup of %1.</source>
        <translation>پایگاه داده از پشتیبانِ %1 بازیابی شد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/gui_main.py" line="310"/>
        <source>Today&apos;s backup was made.</source>
        <translation>پشتیبان امروز تهیه شد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/gui_main.py" line="325"/>
        <source>Daily backup</source>
        <translation>پشتیبان روزانه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/gui_main.py" line="398"/>
        <source>The database was restored. Please sign in again.</source>
        <translation>پایگاه داده بازیابی شد. لطفاً دوباره وارد شوید.</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="102"/>
        <source>Synchronisation with HQ</source>
        <translation>همگام‌سازی با ستاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="156"/>
        <source>Changes waiting to be sent:</source>
        <translation>تغییرات در انتظار ارسال:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="154"/>
        <source>HQ server:</source>
        <translation>کارگزار ستاد:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="160"/>
        <source>Sync &amp;now</source>
        <translation>همگام‌سازی اکنون</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="150"/>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="153"/>
        <source>Enrolment:</source>
        <translation>ثبت در ستاد:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="155"/>
        <source>Last successful sync:</source>
        <translation>آخرین همگام‌سازی موفق:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="157"/>
        <source>Conflicts waiting for a decision:</source>
        <translation>ناسازگاری‌های در انتظار تصمیم:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="159"/>
        <source>Automatic sync:</source>
        <translation>همگام‌سازی خودکار:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="181"/>
        <source>Enrol this computer with HQ</source>
        <translation>ثبت این رایانه در ستاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="185"/>
        <source>Ask HQ for a one-time enrolment code for this clinic, then type the server address and the code here. The code works once.</source>
        <translation>از ستاد یک کد ثبت یک‌بارمصرف برای این کلینیک بگیرید، سپس نشانی کارگزار و کد را اینجا بنویسید. کد فقط یک بار کار می‌کند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="199"/>
        <source>&amp;Enrol</source>
        <translation>ثبت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="205"/>
        <source>Server address:</source>
        <translation>نشانی کارگزار:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="206"/>
        <source>One-time code:</source>
        <translation>کد یک‌بارمصرف:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="216"/>
        <source>Enrol &amp;again…</source>
        <translation>ثبت دوباره…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="219"/>
        <source>Only when HQ gave a new code, e.g. after this computer&apos;s access was revoked.</source>
        <translation>فقط وقتی ستاد کد تازه‌ای داده است، مثلاً پس از لغو دسترسی این رایانه.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="225"/>
        <source>Only the clinic manager or an administrator can enrol.</source>
        <translation>فقط مدیر کلینیک یا مدیر سامانه می‌تواند ثبت کند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="248"/>
        <source>No conflicts: nothing waits for a decision.</source>
        <translation>ناسازگاری‌ای نیست؛ چیزی در انتظار تصمیم نیست.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="250"/>
        <source>&amp;Resolve…</source>
        <translation>حل ناسازگاری…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="253"/>
        <source>Show resolved conflicts too</source>
        <translation>ناسازگاری‌های حل‌شده هم نمایش داده شوند</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="340"/>
        <source>Enrolled with HQ</source>
        <translation>در ستاد ثبت شده است</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="345"/>
        <source>Not enrolled: this computer does not sync yet</source>
        <translation>ثبت نشده: این رایانه هنوز همگام نمی‌شود</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="346"/>
        <source>(not set)</source>
        <translation>(تعیین نشده)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="388"/>
        <source>starts once this computer is enrolled with HQ</source>
        <translation>پس از ثبت این رایانه در ستاد آغاز می‌شود</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="391"/>
        <source>off (sync when you press “Sync now”)</source>
        <translation>خاموش (با زدن «همگام‌سازی اکنون» همگام می‌شود)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="394"/>
        <source>every %1 minutes</source>
        <translation>هر %1 دقیقه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="397"/>
        <source>next at %1</source>
        <translation>نوبت بعد ساعت %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="402"/>
        <source>Please update the app.</source>
        <translation>لطفاً برنامه را به‌روز کنید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="404"/>
        <source>The last sync did not finish: %1</source>
        <translation>آخرین همگام‌سازی انجام نشد: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="424"/>
        <source>Syncing…</source>
        <translation>در حال همگام‌سازی…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="447"/>
        <source>%1 changes sent</source>
        <translation>%1 تغییر فرستاده شد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="448"/>
        <source>%1 records received</source>
        <translation>%1 رکورد دریافت شد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="451"/>
        <source>new conflicts to decide</source>
        <translation>ناسازگاری تازه‌ای برای تصمیم هست</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="453"/>
        <source>%1 changes refused by HQ</source>
        <translation>%1 تغییر را ستاد نپذیرفت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="461"/>
        <source>Sync finished: %1.</source>
        <translation>همگام‌سازی انجام شد: %1.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="485"/>
        <source>The server address must start with https://</source>
        <translation>نشانی کارگزار باید با https:// آغاز شود.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="487"/>
        <source>Type the one-time code HQ gave you.</source>
        <translation>کد یک‌بارمصرفی را که ستاد داده است بنویسید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="506"/>
        <source>Enrolling with HQ</source>
        <translation>ثبت در ستاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="516"/>
        <source>This computer is enrolled with HQ. The first sync is starting.</source>
        <translation>این رایانه در ستاد ثبت شد. نخستین همگام‌سازی آغاز می‌شود.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="556"/>
        <source>The conflict was resolved; the decision goes to HQ with the next sync.</source>
        <translation>ناسازگاری حل شد؛ این تصمیم با همگام‌سازی بعدی به ستاد می‌رود.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="348"/>
        <source>never</source>
        <translation>هرگز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="158"/>
        <source>Records from HQ set aside:</source>
        <translation>رکوردهای کنار گذاشتهٔ ستاد:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="229"/>
        <source>Conflicts and records from HQ set aside, waiting for a decision</source>
        <translation>ناسازگاری‌ها و رکوردهای کنار گذاشتهٔ ستاد، در انتظار تصمیم</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="354"/>
        <source>%1 — not stored on this computer; they are in the list below with what to do</source>
        <translation>%1 — در این رایانه ذخیره نشد؛ در فهرست پایین هست، با آنچه باید کرد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/page.py" line="456"/>
        <source>%1 records from HQ set aside (see the list below)</source>
        <translation>%1 رکورد ستاد کنار گذاشته شد (فهرست پایین را ببینید)</translation>
    </message>
</context>
<context>
    <name>SyncScheduler</name>
    <message>
        <location filename="../../clinic_app/ui/sync/scheduler.py" line="204"/>
        <location filename="../../clinic_app/ui/sync/scheduler.py" line="239"/>
        <source>Sync with HQ</source>
        <translation>همگام‌سازی با ستاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/scheduler.py" line="251"/>
        <source>Sync stopped because of an unexpected error; a report was saved in the logs folder.</source>
        <translation>همگام‌سازی به سبب خطایی پیش‌بینی‌نشده متوقف شد؛ گزارشی در پوشهٔ گزارش‌ها ذخیره شد. تغییرها محفوظ‌اند.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/scheduler.py" line="309"/>
        <source>Sending the last changes to HQ</source>
        <translation>فرستادن آخرین تغییرها به ستاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/scheduler.py" line="337"/>
        <source>Sending changes to HQ…</source>
        <translation>در حال فرستادن تغییرها به ستاد…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/scheduler.py" line="338"/>
        <source>Receiving changes from HQ…</source>
        <translation>در حال دریافت تغییرها از ستاد…</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <location filename="../../clinic_app/ui/sync/status_text.py" line="37"/>
        <source>Sync: in progress (%1%)</source>
        <translation>همگام‌سازی: در حال همگام‌سازی (%1٪)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/status_text.py" line="40"/>
        <source>Sync: in progress…</source>
        <translation>همگام‌سازی: در حال همگام‌سازی…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/status_text.py" line="42"/>
        <source>Sync: …</source>
        <translation>همگام‌سازی: …</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/status_text.py" line="44"/>
        <source>not enrolled with HQ</source>
        <translation>در ستاد ثبت نشده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/status_text.py" line="46"/>
        <source>the last try failed</source>
        <translation>آخرین تلاش ناموفق بود</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/status_text.py" line="48"/>
        <source>up to date</source>
        <translation>به‌روز</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/status_text.py" line="54"/>
        <source>%1 changes waiting</source>
        <translation>%1 تغییر در انتظار ارسال</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/status_text.py" line="60"/>
        <source>%1 conflicts</source>
        <translation>%1 ناسازگاری</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/status_text.py" line="84"/>
        <source>Last successful sync: %1</source>
        <translation>آخرین همگام‌سازی موفق: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/status_text.py" line="71"/>
        <source>never synced</source>
        <translation>تاکنون همگام نشده</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/status_text.py" line="73"/>
        <source>Sync: %1</source>
        <translation>همگام‌سازی: %1</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/status_text.py" line="66"/>
        <source>%1 records from HQ set aside</source>
        <translation>%1 رکورد ستاد کنار گذاشته شد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/status_text.py" line="90"/>
        <source>%1 records HQ sent could not be stored on this computer; the rest of the sync went on. The Sync page lists them with what to do.</source>
        <translation>%1 رکوردی که ستاد فرستاد در این رایانه ذخیره نشد؛ بقیهٔ همگام‌سازی ادامه یافت. صفحهٔ همگام‌سازی آن‌ها را با آنچه باید کرد نشان می‌دهد.</translation>
    </message>
</context>
<context>
    <name>TimelineTable</name>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="199"/>
        <source>Date</source>
        <translation>تاریخ</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="200"/>
        <source>Event</source>
        <translation>رویداد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/cases/workspace.py" line="203"/>
        <source>Detail</source>
        <translation>جزئیات</translation>
    </message>
</context>
<context>
    <name>TransfersBox</name>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="58"/>
        <source>Transfers between clinics</source>
        <translation>انتقال بنگاه‌ها میان کلینیک‌ها</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="70"/>
        <source>Enterprise</source>
        <translation>بنگاه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="70"/>
        <source>From</source>
        <translation>از کلینیک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="70"/>
        <source>To</source>
        <translation>به کلینیک</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="70"/>
        <source>Proposed on</source>
        <translation>تاریخ پیشنهاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="70"/>
        <source>State</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="86"/>
        <source>Note to HQ (optional)</source>
        <translation>توضیح برای ستاد (اختیاری)</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="87"/>
        <source>&amp;Accept the enterprise</source>
        <translation>&amp;پذیرش بنگاه</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="89"/>
        <source>&amp;Decline</source>
        <translation>&amp;رد پیشنهاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="91"/>
        <source>&amp;Withdraw the proposal</source>
        <translation>&amp;پس گرفتن پیشنهاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="113"/>
        <source>Waiting for your decision</source>
        <translation>در انتظار تصمیم شما</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="116"/>
        <source>Accepted here; goes to HQ with the next sync</source>
        <translation>در این رایانه پذیرفته شد؛ با همگام‌سازی بعدی به ستاد می‌رسد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="118"/>
        <source>Declined here; goes to HQ with the next sync</source>
        <translation>در این رایانه رد شد؛ با همگام‌سازی بعدی به ستاد می‌رسد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="121"/>
        <source>%1; your answer was not carried out</source>
        <translation>%1؛ پاسخ شما اجرا نشد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="144"/>
        <source>%1 answer(s) of the manager wait for the next sync to reach HQ.</source>
        <translation>%1 پاسخ مدیر در انتظار همگام‌سازی بعدی است تا به ستاد برسد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="150"/>
        <source>%1 enterprise(s) proposed to this clinic wait for the manager&apos;s decision.</source>
        <translation>%1 بنگاه پیشنهادشده به این کلینیک در انتظار تصمیم مدیر است.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="155"/>
        <source>No proposal waits for this clinic&apos;s decision.</source>
        <translation>پیشنهادی در انتظار تصمیم این کلینیک نیست.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="197"/>
        <source>Asking HQ</source>
        <translation>در حال پرسش از ستاد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="206"/>
        <source>HQ cannot be reached now: your answer is saved on this computer and goes to HQ with the next sync.</source>
        <translation>اکنون ستاد در دسترس نیست: پاسخ شما در این رایانه ذخیره شد و با همگام‌سازی بعدی به ستاد می‌رسد.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="214"/>
        <source>The enterprise is now this clinic&apos;s: %1 record(s) came from HQ.</source>
        <translation>بنگاه اکنون از آنِ این کلینیک است: %1 رکورد از ستاد رسید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/sync/transfers.py" line="218"/>
        <source>Done; HQ recorded the decision.</source>
        <translation>انجام شد؛ ستاد تصمیم را ثبت کرد.</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="44"/>
        <source>User name</source>
        <translation>نام کاربری</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="45"/>
        <source>Name</source>
        <translation>نام</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="46"/>
        <source>Role</source>
        <translation>نقش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="47"/>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="50"/>
        <source>Last sign-in</source>
        <translation>آخرین ورود</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="58"/>
        <source>Active</source>
        <translation>فعال</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="59"/>
        <source>Disabled</source>
        <translation>غیرفعال</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="122"/>
        <source>account made with the role «%1»</source>
        <translation>حساب با نقش «%1» ساخته شد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="124"/>
        <source>role changed from «%1» to «%2»</source>
        <translation>نقش از «%1» به «%2» تغییر کرد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="128"/>
        <source>account enabled</source>
        <translation>حساب فعال شد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="129"/>
        <source>account disabled</source>
        <translation>حساب غیرفعال شد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="131"/>
        <source>password reset</source>
        <translation>گذرواژه از نو گذاشته شد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="133"/>
        <source>password changed by its owner</source>
        <translation>گذرواژه را خود کاربر تغییر داد</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="157"/>
        <source>User accounts</source>
        <translation>حساب‌های کاربری</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="173"/>
        <location filename="../../clinic_app/ui/users_page.py" line="292"/>
        <source>&amp;Disable account</source>
        <translation>غیرفعال کردن حساب</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="187"/>
        <source>Change &amp;role</source>
        <translation>تغییر &amp;نقش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="190"/>
        <source>Reset &amp;password…</source>
        <translation>گذرواژهٔ &amp;تازه…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="193"/>
        <source>&amp;History…</source>
        <translation>&amp;سابقه…</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="204"/>
        <source>Add a user</source>
        <translation>افزودن کاربر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="218"/>
        <source>&amp;Add user</source>
        <translation>افزودن کاربر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="232"/>
        <source>Full &amp;name:</source>
        <translation>نام و نام خانوادگی:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="233"/>
        <source>&amp;User name:</source>
        <translation>نام کاربری:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="234"/>
        <source>R&amp;ole:</source>
        <translation>نقش:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="235"/>
        <source>&amp;Password:</source>
        <translation>گذرواژه:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="246"/>
        <source>Role:</source>
        <translation>نقش:</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="292"/>
        <source>&amp;Enable account</source>
        <translation>فعال کردن حساب</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="327"/>
        <source>Changing the account</source>
        <translation>در حال تغییر حساب</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="335"/>
        <source>Changing the role</source>
        <translation>در حال تغییر نقش</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="349"/>
        <source>The new password of %1 is set. Give it to them in person.</source>
        <translation>گذرواژهٔ تازهٔ %1 ثبت شد. آن را حضوری به خودش بدهید.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="388"/>
        <source>Adding the user</source>
        <translation>در حال افزودن کاربر</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/users_page.py" line="417"/>
        <source>The new user you were typing has not been added. Add it before leaving?</source>
        <translation>کاربر تازه‌ای که وارد می‌کردید هنوز افزوده نشده است. پیش از رفتن افزوده شود؟</translation>
    </message>
</context>
</TS>
