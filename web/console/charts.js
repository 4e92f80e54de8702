/*
 * Chart.js for the dashboard: the UMD build served by Ombuds at /console/vendor/chart.umd.min.js (no CDN), loaded
 * once, when the dashboard is first shown, as a script element of our own origin (allowed by the page's CSP).
 * Charts are responsive, animate only when the user has not asked for reduced motion, and follow the language.
 */
const LIBRARY = '/console/vendor/chart.umd.min.js';
let loading = null;

export function loadChartLibrary() {
  if (window.Chart) return Promise.resolve(window.Chart);
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = LIBRARY;
    script.async = true;
    script.addEventListener('load', () => resolve(window.Chart));
    script.addEventListener('error', () => {
      loading = null;
      reject(new Error('chart library unavailable'));
    });
    document.head.appendChild(script);
  });
  return loading;
}

export function drawChart(canvas, configuration) {
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  return new window.Chart(canvas, {
    ...configuration,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: reduceMotion ? false : { duration: 300 },
      plugins: { legend: { position: 'bottom' } },
      ...(configuration.options ?? {}),
    },
  });
}
