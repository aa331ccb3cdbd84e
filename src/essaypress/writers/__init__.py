"""Writers: turn an Anthology into output bytes (pdf, docx, epub) via one HTML translator."""
