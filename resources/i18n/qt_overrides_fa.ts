<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Corrections to Qt's own qtbase_fa translation, loaded after it so these win: «پرونده» there means a
     file, but in this program it is a case, so every file is «فایل»; and strings Qt 6 added that qtbase_fa
     lacks (the file dialog's "&Look in:", the print dialog's double-sided options). Edit by hand; compile
     with pyside6-lrelease resources/i18n/qt_overrides_fa.ts -qm resources/i18n/qt_overrides_fa.qm -->
<TS version="2.1" language="fa_IR">
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <translation>پوشه</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>درایو</translation>
    </message>
    <message>
        <source>File</source>
        <translation>فایل</translation>
    </message>
    <message>
        <source>%1 File</source>
        <translation>فایل %1</translation>
    </message>
    <message>
        <source>Alias</source>
        <translation>میان‌بر</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>میان‌بر</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>ناشناخته</translation>
    </message>
</context>
<context>
    <name>QFile</name>
    <message>
        <source>Cannot remove source file</source>
        <translation>نمی‌توان فایل مبدأ را حذف کرد</translation>
    </message>
    <message>
        <source>Destination file exists</source>
        <translation>فایل مقصد موجود است</translation>
    </message>
    <message>
        <source>Destination file is the same file.</source>
        <translation>فایل مقصد همین فایل است.</translation>
    </message>
    <message>
        <source>Source file does not exist.</source>
        <translation>فایل مبدأ وجود ندارد.</translation>
    </message>
    <message>
        <source>Will not rename sequential file using block copy</source>
        <translation>فایل ترتیبی با استفاده از کپی بلاک‌ها تغییر نام داده نخواهد شد</translation>
    </message>
</context>
<context>
    <name>QFileDevice</name>
    <message>
        <source>No file engine available</source>
        <translation>هیچ موتور فایلی موجود نیست</translation>
    </message>
    <message>
        <source>No file engine available or engine does not support UnMapExtension</source>
        <translation>موتور فایل در دسترس نیست و یا موتور فایل از UnMapExtension پشتیبانی نمی‌کند</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>%1
Directory not found.
Please verify the correct directory name was given.</source>
        <translation>%1
پوشه یافت نشد
لطفاً درستی نام فایل داده شده را بررسی کنید.</translation>
    </message>
    <message>
        <source>%1
File not found.
Please verify the correct file name was given.</source>
        <translation>%1
فایل یافت نشد.
لطفاً درستی نام فایل داده شده را بررسی کنید.</translation>
    </message>
    <message>
        <source>%1 File</source>
        <translation>‫فایل ‪%1‬‬</translation>
    </message>
    <message>
        <source>All Files (*)</source>
        <translation>تمام فایل‌ها (*)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>تمام فایل‌ها (*)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>فایل</translation>
    </message>
    <message>
        <source>File &amp;name:</source>
        <translation>&amp;نام فایل:</translation>
    </message>
    <message>
        <source>File Folder</source>
        <translation>پوشهٔ فایل‌ها</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>فایل‌ها</translation>
    </message>
    <message>
        <source>Files of type:</source>
        <translation>فایل‌هایی از نوع:</translation>
    </message>
    <message>
        <source>Show &amp;hidden files</source>
        <translation>نمایش فایل‌های م&amp;خفی</translation>
    </message>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;پوشه:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>&amp;نوع فایل:</translation>
    </message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message>
        <source>Invalid filename</source>
        <translation>نام نامعتبر فایل</translation>
    </message>
</context>
<context>
    <name>QFtp</name>
    <message>
        <source>Downloading file failed:
%1</source>
        <translation>بارگیری ناموفق فایل:
%1</translation>
    </message>
    <message>
        <source>Removing file failed:
%1</source>
        <translation>حذف ناموفق فایل:
%1</translation>
    </message>
    <message>
        <source>Uploading file failed:
%1</source>
        <translation>بارگذاری ناموفق فایل:
%1</translation>
    </message>
</context>
<context>
    <name>QIODevice</name>
    <message>
        <source>No such file or directory</source>
        <translation>چنین پوشه یا فایلی وجود ندارد</translation>
    </message>
    <message>
        <source>Too many open files</source>
        <translation>فایل‌های زیادی باز است</translation>
    </message>
    <message>
        <source>file to open is a directory</source>
        <translation>فایل مورد نظر برای باز کردن یک پوشه است</translation>
    </message>
</context>
<context>
    <name>QImageReader</name>
    <message>
        <source>File not found</source>
        <translation>فایل پیدا نشد</translation>
    </message>
</context>
<context>
    <name>QLibrary</name>
    <message>
        <source>The file '%1' is not a valid Qt plugin.</source>
        <translation>فایل «%1» یک افزونه معتبر Qt نیست.</translation>
    </message>
    <message>
        <source>file is corrupt</source>
        <translation>فایل مخدوش شده است</translation>
    </message>
    <message>
        <source>file too small</source>
        <translation>فایل بیش از حد کوچک است</translation>
    </message>
    <message>
        <source>section name %1 of %2 behind end of file</source>
        <translation>نام قست %1 از %2 بعد از انتهای فایل</translation>
    </message>
</context>
<context>
    <name>QNetworkAccessFileBackend</name>
    <message>
        <source>Request for opening non-local file %1</source>
        <translation>درخواست برای باز‌کردن فایل غیر محلی %1</translation>
    </message>
</context>
<context>
    <name>QPrintDialog</name>
    <message>
        <source>%1 is a directory.
Please choose a different file name.</source>
        <translation>‫‪%1‬ یک پوشه است.‬
لطفاً یک فایل دیگر انتخاب کنید.</translation>
    </message>
    <message>
        <source>File %1 is not writable.
Please choose a different file name.</source>
        <translation>‫فایل ‪%1‬ قابل نوشتن نیست.‬
لطفاً یک فایل دیگر انتخاب کنید.</translation>
    </message>
    <message>
        <source>Local file</source>
        <translation>فایل محلی</translation>
    </message>
    <message>
        <source>Print To File ...</source>
        <translation>چاپ روی فایل ...</translation>
    </message>
    <message>
        <source>Print to File (PDF)</source>
        <translation>‫چاپ کردن روی فایل ‪(PDF)‬‬</translation>
    </message>
    <message>
        <source>Write PDF file</source>
        <translation>نوشتن روی فایل PDF</translation>
    </message>
</context>
<context>
    <name>QPrintSettingsOutput</name>
    <message>
        <source>Page &amp;Set:</source>
        <translation>&amp;مجموعهٔ صفحات:</translation>
    </message>
    <message>
        <source>Double Sided Printing</source>
        <translation>چاپ دورو</translation>
    </message>
    <message>
        <source>Long side binding</source>
        <translation>صحافی از ضلع بلند</translation>
    </message>
    <message>
        <source>Short side binding</source>
        <translation>صحافی از ضلع کوتاه</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>یک‌رو</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>صفحه‌ها</translation>
    </message>
    <message>
        <source>Specify pages or ranges separated by commas. Ranges are specified by two numbers separated by a hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.</source>
        <translation>صفحه‌ها یا بازه‌ها را با ویرگول جدا کنید؛ هر بازه دو عدد است با خط تیره میانشان. نمونه: 3,5-7,9 صفحه‌های ۳، ۵، ۶، ۷ و ۹ را چاپ می‌کند.</translation>
    </message>
</context>
<context>
    <name>QPrintWidget</name>
    <message>
        <source>Output &amp;file:</source>
        <translation>&amp;فایل خروجی:</translation>
    </message>
</context>
<context>
    <name>QSaveFile</name>
    <message>
        <source>Existing file %1 is not writable</source>
        <translation>‫فایل ‪%1‬ موجود است و قابل نوشتن نیست‬</translation>
    </message>
    <message>
        <source>Filename refers to a directory</source>
        <translation>نام فایل به یک پوشه ارجاع می‌کند</translation>
    </message>
</context>
<context>
    <name>QSharedMemory</name>
    <message>
        <source>%1: UNIX key file doesn't exist</source>
        <translation>%1: فایل کلید UNIX وجود ندارد</translation>
    </message>
</context>
<context>
    <name>QTgaFile</name>
    <message>
        <source>Seek file/device for image read failed</source>
        <translation>پویش روی فایل/دستگاه برای خواندن تصویر با خطا مواجه شد</translation>
    </message>
</context>
<context>
    <name>QXml</name>
    <message>
        <source>unexpected end of file</source>
        <translation>انتهای نامنتظرهٔ فایل</translation>
    </message>
</context>
</TS>
