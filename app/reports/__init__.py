"""Report data (library-free) and its two renderings: PDF (reportlab) and XLSX (openpyxl)."""
