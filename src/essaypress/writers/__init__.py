"""Writers: turn an Anthology into output bytes (pdf, docx, epub) through a shared HTML translator."""
