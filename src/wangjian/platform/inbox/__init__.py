"""One inbox per user (消息): notices with read receipts, workflow messages and work-item reminders, with pushes."""
