"""Monitoring returns of funded projects: each quarter the provider says how many sessions it
held and who came (counts only), against the target cohort set when it was funded; an officer
accepts the return or asks for changes. The reach they show is on the project's page, on "you
voted, we funded" and in the board's report."""
