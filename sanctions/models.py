"""Violation reports, the sanction ladder, letters, removals, objections and referrals."""
