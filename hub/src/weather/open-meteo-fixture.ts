/**
 * A recorded Open-Meteo daily answer (api.open-meteo.com/v1/forecast?daily=temperature_2m_max,
 * precipitation_sum&timezone=Europe/London, trimmed to 6 days), one day with a missing reading.
 */
export const RECORDED_OPEN_METEO = {
  latitude: 51.5,
  longitude: -0.120000124,
  generationtime_ms: 0.0710487365722656,
  utc_offset_seconds: 0,
  timezone: 'Europe/London',
  timezone_abbreviation: 'GMT',
  elevation: 23,
  daily_units: { time: 'iso8601', temperature_2m_max: '°C', precipitation_sum: 'mm' },
  daily: {
    time: ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'],
    temperature_2m_max: [9.8, 11.2, 12.6, null, 8.4, 7.9],
    precipitation_sum: [0, 1.3, 0.2, null, 4.8, 0],
  },
};
