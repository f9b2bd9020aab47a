"""What the test tiers share: the app driven by keys, documents for the importer, a signed-off
recommendation, and the databases the tests run on."""
