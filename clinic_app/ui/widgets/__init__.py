"""Small widgets shared by the pages: Jalali date field, money field, inline field errors, charts."""
