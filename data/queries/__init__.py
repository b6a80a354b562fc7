"""Every SQL query the web runs on the serving file: bound parameters, allow-listed columns."""
