package sn.wolo.notification.api;

/** Channels and categories a user accepts, how donations are summed up, and the quiet hours ({@code HH:mm}, local time). */
public record NotificationPreferences(boolean emailEnabled, boolean smsEnabled, boolean whatsappEnabled, boolean pushEnabled,
                                      boolean referralNotifications, boolean potNotifications, boolean donationNotifications,
                                      boolean marketingNotifications, String digestFrequency, String quietHoursStart,
                                      String quietHoursEnd) {
}
