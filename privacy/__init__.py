"""Personal data across the hub: a person's export, erasing adjustments, anonymising the long inactive.

It reads every app's records of a person, so it sits above them all (see the layers in the README)."""
