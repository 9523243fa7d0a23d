-- Feature flags (issue 15).
-- FIX: the spec targets flags by user group and region only; the mobile apps also need targeting by
-- platform (android/ios/web) and by a minimum app version (a flag that needs new client code).
ALTER TABLE admin.feature_flags ADD COLUMN target_platforms TEXT[];
ALTER TABLE admin.feature_flags ADD COLUMN min_app_version VARCHAR(20) CHECK (min_app_version ~ '^[0-9]+(\.[0-9]+){0,2}$');
