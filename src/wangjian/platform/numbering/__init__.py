"""Document numbers (文号): per bureau, kind and year, gap-free, assigned at issue, never reused."""
