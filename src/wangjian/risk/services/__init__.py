"""The risk app's rules: the settings and their defaults (``settings``), grading (``grading``), storing the
grades with their history and the treatment of 重点监控 (``store``), importing the credit-risk classes
(``credit_import``)."""
