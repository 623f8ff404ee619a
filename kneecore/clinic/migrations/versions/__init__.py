"""The migration steps, in the order their ``down_revision`` chain gives."""
