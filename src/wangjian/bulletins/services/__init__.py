"""The rules of the 通报: its figures and life (``bulletins``), the document (``document``), the Excel tables
(``tables``)."""
