"""The append-only audit log of officers' and the safeguarding lead's actions."""
