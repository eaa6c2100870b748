"""Files in and out: the spreadsheets, CSV and iCalendar officers read and write."""
