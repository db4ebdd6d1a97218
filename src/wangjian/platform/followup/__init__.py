"""The office's follow-up settings (催办督办设置): working hours, reminders and automatic 督办."""
