"""The factors domain: a library of versioned Qlib expressions, their evaluations and factor sets."""
