// @ts-check
/*!
 * <referral-search> v1: the Referral Directory's embeddable search (plain JavaScript, no framework, no dependencies).
 *
 *   <script src="https://DIRECTORY/widget/v1/referral-search.js" defer></script>
 *   <referral-search lang="en" state="MO" exit-url="https://www.google.com/"></referral-search>
 *
 * Attributes: api-base (default: where this script came from), partner-key (sent as X-Api-Key), lang (en | es),
 * state (two letters), county (5-digit FIPS), services (comma-separated service codes), exit-url (the quick exit's
 * neutral site). Theming: CSS custom properties on the element (--rs-accent, --rs-text, --rs-background, ...).
 *
 * Safety: no cookies, no storage, nothing in the page URL; the searched place stays in memory. The quick exit (button,
 * or Shift pressed 3 times, each press within 5 s) hides the page, then replaces the top window's location with the
 * neutral site (no history entry). Works under a strict CSP: no inline script or style, no eval; styles are a
 * constructed style sheet. Every screen shows the 911 notice and the hotlines, from a built-in copy when the API
 * cannot be reached.
 */
(function () {
  'use strict';

  const VERSION = '1';
  const script = document.currentScript;
  const SCRIPT_ORIGIN = script instanceof HTMLScriptElement && script.src ? new URL(script.src).origin : location.origin;
  const DEFAULT_EXIT = 'https://www.google.com/';
  const PAGE_SIZE = 5;
  const SHIFT_PRESSES = 3;
  const SHIFT_WINDOW_MS = 5000;

  /** @typedef {'en' | 'es'} Lang */
  /** @typedef {{ number: string, type?: string, description?: string | null, link?: string, label?: string }} Phone */
  /** @typedef {{ id: string, name: string, phones: Phone[], coverage?: string, is24x7?: boolean, website?: string }} Hotline */
  /** @typedef {{ km: number, miles: number }} Distance */
  /**
   * @typedef {{ id: string, name: string, kind: string, distance?: Distance, approximate?: boolean, confidential?: boolean,
   *   openNow?: boolean, is24x7?: boolean, town?: string, county?: string, countyFips?: string, state?: string,
   *   latitude?: number, longitude?: number, phone?: string, text?: string, services?: string[], languages?: string[],
   *   lastVerified?: string, acceptingReferrals?: boolean, isDemo?: boolean }} Card
   */
  /** @typedef {{ state?: string, stateName?: string, countyFips?: string, county?: string }} Place */
  /** @typedef {{ latitude: number, longitude: number, place?: Place }} Query */
  /** @typedef {{ results: Card[], total: number, nextCursor?: string | null, query?: Query, hotlines?: Hotline[] }} Page */
  /** @typedef {{ kind: 'zip' | 'near', value: string } | { kind: 'point', lat: number, lon: number } | { kind: 'county', value: string }} Where */
  /** @typedef {{ service: string, population: string, traffickingType: string, language: string, openNow: boolean, is24x7: boolean, radiusKm: string }} Filters */

  /** Every string the widget shows, in English and Spanish. */
  const STRINGS = {
    en: {
      title: 'Find help near you',
      exit: 'Exit this page',
      exitHint: 'Or press Shift 3 times',
      pressed2: 'Shift, press 2 more times to exit.',
      pressed1: 'Shift, press 1 more time to exit.',
      expired: 'Exit this page expired.',
      switchTo: 'Español',
      switchLabel: 'Ver en español',
      helpNow: 'Help now',
      emergency: 'If you or someone else is in immediate danger, call',
      national: 'National Human Trafficking Hotline',
      nationalText: 'Confidential, 24/7, in more than 200 languages.',
      call: 'Call',
      text: 'Text',
      or: 'or',
      tabsLabel: 'Search or learn',
      tabSearch: 'Search',
      tabLearn: 'Learn',
      placeLabel: 'ZIP code or town',
      placeHint: 'For example 65201 or Columbia, MO',
      search: 'Search',
      myLocation: 'Use my location',
      locating: 'Finding your location…',
      noLocation: 'Your location is not available. Type a ZIP code or town instead.',
      filters: 'Filters',
      service: 'Service',
      population: 'Who it serves',
      traffickingType: 'Trafficking type',
      language: 'Language spoken',
      distance: 'Distance',
      any: 'Any',
      openNow: 'Open now',
      is24x7: 'Open 24/7',
      miles: 'Within {n} miles',
      searching: 'Searching…',
      needPlace: 'Type a ZIP code or town, or use your location.',
      found: '{shown} of {total} results near {place}.',
      foundAll: '{total} results near {place}.',
      foundOne: '1 result near {place}.',
      none: 'No results near {place}.',
      thisCounty: 'this county',
      tryNext: 'Try next: remove a filter, choose a longer distance, or search a nearby town. The hotlines below can also help you find services, 24/7.',
      didYouMean: 'We could not find that town. Did you mean:',
      unknownTown: 'We could not find that town. Check the spelling, add the state (such as Columbia, MO), or type a ZIP code.',
      unknownZip: 'We do not know that ZIP code. Check it, or type a town.',
      badSearch: 'That search did not work. Check what you typed and try again.',
      unreachable: 'We could not reach the directory right now. You can still get help: call or text the hotline below.',
      busy: 'The directory is busy. Please wait a minute and try again. You can still call the hotline below.',
      more: 'Show more results',
      resultsLabel: 'Results',
      viewLabel: 'Show results as',
      list: 'List',
      map: 'Map',
      mapTitle: 'Map of results: dots are offices, shaded counties are private locations',
      mapLoading: 'Loading the map…',
      mapUnavailable: 'The map is not available right now. The list shows every result.',
      distanceKm: '{mi} mi ({km} km)',
      about: 'About {mi} mi ({km} km)',
      confidential: 'Location kept private for safety: call to arrange intake.',
      countyOf: '{county}, {state}',
      open: 'Open now',
      closed: 'Closed now',
      always: 'Open 24/7',
      languages: 'Languages: {list}',
      verified: 'Last verified {date}',
      details: 'More details',
      hideDetails: 'Fewer details',
      loadingDetails: 'Loading details…',
      noDetails: 'Details are not available right now.',
      website: 'Website (opens in a new tab)',
      email: 'Email',
      hours: 'Hours',
      notAccepting: 'Not taking new referrals right now.',
      demo: 'Demo listing',
      safety: 'Safety: this search sets no cookies and stores nothing in your browser, but your browser may still keep a history of the pages you visit.',
      safetyLink: 'How to clear your browsing history',
      townsLabel: 'Towns starting with what you typed',
      hotlineKind: { state: '', county: '', area: '', nationwide: '' },
      learnTitle: 'Learn about human trafficking',
      profileTitle: 'State profile',
      loadingLearn: 'Loading…',
      learnUnavailable: 'This guidance is not available right now. The hotline below can answer questions, 24/7.',
      source: 'Source: {source}, as of {date}.',
      statistics: 'Statistics',
      report: 'Report a correction',
      reportTitle: 'Report a correction: {name}',
      reportField: 'What needs correcting?',
      reportFields: { phone: 'Phone number', website: 'Website', address: 'Address', hours: 'Hours', services: 'Services', closed: 'It has closed or moved', other: 'Something else' },
      reportMessage: 'What should it say?',
      reportMessageHint: 'From 5 to 1000 characters. Please do not write about yourself or anyone else.',
      reportContact: 'Email or phone (optional)',
      reportContactHint: 'Optional: only if an editor may ask you about it. You can leave it empty.',
      reportSend: 'Send',
      reportCancel: 'Cancel',
      reportSending: 'Sending…',
      reportThanks: 'Thank you. An editor will check it.',
      reportTooShort: 'Write from 5 to 1000 characters.',
      reportBadContact: 'Write at most 200 characters, or leave it empty.',
      reportBusy: 'Too many corrections were sent from here. Please wait a minute and try again.',
      reportFailed: 'We could not send it right now. Please try again later.',
      days: { Monday: 'Monday', Tuesday: 'Tuesday', Wednesday: 'Wednesday', Thursday: 'Thursday', Friday: 'Friday', Saturday: 'Saturday', Sunday: 'Sunday' },
    },
    es: {
      title: 'Encuentre ayuda cerca de usted',
      exit: 'Salir de esta página',
      exitHint: 'O pulse Mayús 3 veces',
      pressed2: 'Mayús: púlsela 2 veces más para salir.',
      pressed1: 'Mayús: púlsela 1 vez más para salir.',
      expired: 'La salida rápida se canceló.',
      switchTo: 'English',
      switchLabel: 'View in English',
      helpNow: 'Ayuda ahora',
      emergency: 'Si usted u otra persona está en peligro inmediato, llame al',
      national: 'Línea Nacional contra la Trata de Personas',
      nationalText: 'Confidencial, las 24 horas, los 7 días, en más de 200 idiomas.',
      call: 'Llame al',
      text: 'Envíe un mensaje de texto al',
      or: 'o',
      tabsLabel: 'Buscar o informarse',
      tabSearch: 'Buscar',
      tabLearn: 'Informarse',
      placeLabel: 'Código postal o ciudad',
      placeHint: 'Por ejemplo 65201 o Columbia, MO',
      search: 'Buscar',
      myLocation: 'Usar mi ubicación',
      locating: 'Buscando su ubicación…',
      noLocation: 'Su ubicación no está disponible. Escriba un código postal o una ciudad.',
      filters: 'Filtros',
      service: 'Servicio',
      population: 'A quién atiende',
      traffickingType: 'Tipo de trata',
      language: 'Idioma que se habla',
      distance: 'Distancia',
      any: 'Cualquiera',
      openNow: 'Abierto ahora',
      is24x7: 'Abierto las 24 horas',
      miles: 'A menos de {n} millas',
      searching: 'Buscando…',
      needPlace: 'Escriba un código postal o una ciudad, o use su ubicación.',
      found: '{shown} de {total} resultados cerca de {place}.',
      foundAll: '{total} resultados cerca de {place}.',
      foundOne: '1 resultado cerca de {place}.',
      none: 'No hay resultados cerca de {place}.',
      thisCounty: 'este condado',
      tryNext: 'Pruebe esto: quite un filtro, elija una distancia mayor o busque una ciudad cercana. Las líneas de ayuda de abajo también pueden ayudarle a encontrar servicios, las 24 horas.',
      didYouMean: 'No encontramos esa ciudad. ¿Quiso decir:',
      unknownTown: 'No encontramos esa ciudad. Revise cómo se escribe, agregue el estado (como Columbia, MO) o escriba un código postal.',
      unknownZip: 'No conocemos ese código postal. Revíselo o escriba una ciudad.',
      badSearch: 'Esa búsqueda no funcionó. Revise lo que escribió e inténtelo de nuevo.',
      unreachable: 'No pudimos conectar con el directorio en este momento. Aún puede recibir ayuda: llame o envíe un mensaje de texto a la línea de abajo.',
      busy: 'El directorio está ocupado. Espere un minuto e inténtelo de nuevo. Aún puede llamar a la línea de abajo.',
      more: 'Mostrar más resultados',
      resultsLabel: 'Resultados',
      viewLabel: 'Mostrar los resultados como',
      list: 'Lista',
      map: 'Mapa',
      mapTitle: 'Mapa de resultados: los puntos son oficinas; los condados sombreados son ubicaciones privadas',
      mapLoading: 'Cargando el mapa…',
      mapUnavailable: 'El mapa no está disponible en este momento. La lista muestra todos los resultados.',
      distanceKm: '{mi} mi ({km} km)',
      about: 'Aproximadamente {mi} mi ({km} km)',
      confidential: 'Ubicación privada por seguridad: llame para coordinar la admisión.',
      countyOf: '{county}, {state}',
      open: 'Abierto ahora',
      closed: 'Cerrado ahora',
      always: 'Abierto las 24 horas',
      languages: 'Idiomas: {list}',
      verified: 'Verificado por última vez el {date}',
      details: 'Más detalles',
      hideDetails: 'Menos detalles',
      loadingDetails: 'Cargando detalles…',
      noDetails: 'Los detalles no están disponibles en este momento.',
      website: 'Sitio web (se abre en una pestaña nueva)',
      email: 'Correo electrónico',
      hours: 'Horario',
      notAccepting: 'No recibe nuevas derivaciones en este momento.',
      demo: 'Ficha de demostración',
      safety: 'Seguridad: esta búsqueda no usa cookies ni guarda nada en su navegador, pero su navegador puede guardar un historial de las páginas que visita.',
      safetyLink: 'Cómo borrar el historial de su navegador',
      townsLabel: 'Localidades que empiezan con lo que escribió',
      hotlineKind: { state: 'Línea estatal de {state}', county: 'Línea del condado', area: 'Línea local', nationwide: 'Línea nacional' },
      learnTitle: 'Infórmese sobre la trata de personas',
      profileTitle: 'Perfil del estado',
      loadingLearn: 'Cargando…',
      learnUnavailable: 'Esta guía no está disponible en este momento. La línea de ayuda de abajo puede responder preguntas, las 24 horas.',
      source: 'Fuente: {source}, al {date}.',
      statistics: 'Estadísticas',
      report: 'Informar de una corrección',
      reportTitle: 'Informar de una corrección: {name}',
      reportField: '¿Qué hay que corregir?',
      reportFields: { phone: 'Número de teléfono', website: 'Sitio web', address: 'Dirección', hours: 'Horario', services: 'Servicios', closed: 'Cerró o se mudó', other: 'Otra cosa' },
      reportMessage: '¿Qué debería decir?',
      reportMessageHint: 'De 5 a 1000 caracteres. Por favor, no escriba sobre usted ni sobre otras personas.',
      reportContact: 'Correo electrónico o teléfono (opcional)',
      reportContactHint: 'Opcional: solo si un editor puede consultarle. Puede dejarlo vacío.',
      reportSend: 'Enviar',
      reportCancel: 'Cancelar',
      reportSending: 'Enviando…',
      reportThanks: 'Gracias. Un editor lo revisará.',
      reportTooShort: 'Escriba de 5 a 1000 caracteres.',
      reportBadContact: 'Escriba como máximo 200 caracteres o déjelo vacío.',
      reportBusy: 'Se enviaron demasiadas correcciones desde aquí. Espere un minuto e inténtelo de nuevo.',
      reportFailed: 'No pudimos enviarla en este momento. Inténtelo de nuevo más tarde.',
      days: { Monday: 'Lunes', Tuesday: 'Martes', Wednesday: 'Miércoles', Thursday: 'Jueves', Friday: 'Viernes', Saturday: 'Sábado', Sunday: 'Domingo' },
    },
  };

  /** Spanish labels of the directory's stable codes (the API's taxonomy labels are English). */
  const CODES_ES = /** @type {Record<string, string>} */ ({
    'crisis-hotline': 'Línea de crisis', 'emergency-shelter': 'Refugio de emergencia', 'transitional-housing': 'Vivienda de transición',
    'long-term-housing': 'Vivienda a largo plazo', 'youth-shelter': 'Refugio para jóvenes', 'case-management': 'Gestión de casos',
    'victim-advocacy': 'Apoyo a víctimas', 'court-accompaniment': 'Acompañamiento en los tribunales', 'civil-legal-services': 'Servicios legales civiles',
    'immigration-legal-services': 'Servicios legales de inmigración', 'criminal-record-relief': 'Limpieza de antecedentes penales',
    'medical-care': 'Atención médica', 'dental-care': 'Atención dental', 'forensic-exam': 'Examen forense', 'mental-health': 'Salud mental',
    'substance-use-treatment': 'Tratamiento por consumo de sustancias', 'food-and-clothing': 'Comida y ropa', transportation: 'Transporte',
    'financial-assistance': 'Ayuda económica', 'employment-services': 'Servicios de empleo', education: 'Educación', 'life-skills': 'Habilidades para la vida',
    interpretation: 'Interpretación', 'family-reunification': 'Reunificación familiar', repatriation: 'Repatriación', 'child-welfare': 'Bienestar infantil',
    'peer-support': 'Apoyo entre pares', 'professional-training': 'Capacitación profesional', 'prevention-education': 'Educación para la prevención',
    'law-enforcement-reporting': 'Denuncias a las autoridades',
    adults: 'Adultos (18 años o más)', minors: 'Menores de 18 años', female: 'Mujeres y niñas', male: 'Hombres y niños',
    'transgender-gender-diverse': 'Personas transgénero y de género diverso', 'us-citizen-or-resident': 'Ciudadanos y residentes permanentes de EE. UU.',
    'foreign-national': 'Personas extranjeras', lgbtq: 'Personas LGBTQ+', 'people-with-disabilities': 'Personas con discapacidad',
    sex: 'Trata sexual', labor: 'Trata laboral',
  });

  /** Filter choices when the taxonomy cannot be read (codes are stable). */
  const FALLBACK_TAXONOMY = {
    services: ['emergency-shelter', 'crisis-hotline', 'case-management', 'victim-advocacy', 'civil-legal-services', 'immigration-legal-services', 'medical-care', 'mental-health'],
    populations: ['adults', 'minors', 'female', 'male', 'transgender-gender-diverse', 'us-citizen-or-resident', 'foreign-national', 'lgbtq', 'people-with-disabilities'],
    traffickingTypes: ['sex', 'labor'],
  };
  const LANGUAGE_CODES = ['en', 'es', 'fr', 'ar', 'zh', 'vi', 'ko', 'ru', 'sw', 'so'];
  const RADII_MILES = [10, 25, 50, 100, 250];
  const DEFAULT_RADIUS_MILES = 100;

  /** Built in: the national hotline and 911, shown on every screen, even when the API cannot be reached. */
  const NATIONAL = { call: '1-888-373-7888', callLink: 'tel:+18883737888', text: '233733', textLink: 'sms:233733' };
  /** The service's own page on browsing safely (clearing history, private windows, safer devices), in each language. */
  const CLEAR_HISTORY_PATH = { en: '/safety?lang=en#clear-history', es: '/safety?lang=es#clear-history' };
  const TOWN_SUGGESTIONS = 8;
  const TOWN_DELAY_MS = 200;

  const CSS = `
:host { display: block; contain: content;
  --rs-font: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; --rs-text: #0b0c0c; --rs-muted: #4a4f52; --rs-background: #ffffff;
  --rs-surface: #f3f2f1; --rs-border: #6f777b; --rs-accent: #1d4e89; --rs-accent-text: #ffffff; --rs-focus: #ffdd00; --rs-radius: 4px;
  --rs-exit-background: #a4161a; --rs-exit-text: #ffffff; --rs-private: #6a3d9a; --rs-marker: #1d4e89; }
:host([hidden]) { display: none; }
.rs { font-family: var(--rs-font); color: var(--rs-text); background: var(--rs-background); line-height: 1.5; font-size: 1rem; padding: 0.75rem; border: 1px solid var(--rs-border); border-radius: var(--rs-radius); }
.rs[hidden], [hidden] { display: none !important; }
*, *::before, *::after { box-sizing: border-box; }
h2 { font-size: 1.375rem; line-height: 1.25; margin: 0.5rem 0; }
h3 { font-size: 1.125rem; line-height: 1.3; margin: 0 0 0.25rem; }
h4 { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
p { margin: 0.25rem 0; }
a { color: var(--rs-accent); text-underline-offset: 0.15em; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible, [tabindex]:focus-visible, .marker:focus-visible {
  outline: 3px solid var(--rs-focus); outline-offset: 1px; box-shadow: 0 0 0 5px var(--rs-text); }
button { font: inherit; cursor: pointer; border-radius: var(--rs-radius); min-height: 2.75rem; padding: 0.375rem 0.875rem; border: 2px solid var(--rs-accent); background: var(--rs-background); color: var(--rs-accent); }
button.primary { background: var(--rs-accent); color: var(--rs-accent-text); font-weight: 700; }
.bar { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; justify-content: space-between; }
.exit-group { display: flex; flex-direction: column; align-items: flex-start; }
button.exit { background: var(--rs-exit-background); color: var(--rs-exit-text); border-color: var(--rs-exit-background); font-weight: 700; font-size: 1.0625rem; }
.hint { font-size: 0.875rem; color: var(--rs-muted); margin: 0.125rem 0 0; }
.sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); border: 0; white-space: nowrap; }
.help { margin: 0.75rem 0; padding: 0.5rem 0.75rem; border-left: 6px solid var(--rs-exit-background); background: var(--rs-surface); }
.help h2 { font-size: 1.125rem; margin: 0 0 0.25rem; }
.help ul { margin: 0.25rem 0 0; padding-left: 1.25rem; }
.emergency { font-weight: 700; }
.number { font-weight: 700; white-space: nowrap; }
[role=tablist] { display: flex; gap: 0.25rem; border-bottom: 2px solid var(--rs-border); margin-top: 0.75rem; }
[role=tab] { border-bottom: none; border-radius: var(--rs-radius) var(--rs-radius) 0 0; }
[role=tab][aria-selected=true] { background: var(--rs-accent); color: var(--rs-accent-text); font-weight: 700; }
.panel { padding: 0.75rem 0; }
form { margin: 0; }
label, legend { display: block; font-weight: 700; margin-bottom: 0.125rem; }
input[type=text], select, textarea { font: inherit; width: 100%; min-height: 2.75rem; padding: 0.375rem 0.5rem; border: 2px solid var(--rs-text); border-radius: var(--rs-radius); background: var(--rs-background); color: var(--rs-text); }
.where { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; }
.where .field { flex: 1 1 14rem; min-width: 0; }
fieldset { border: 1px solid var(--rs-border); border-radius: var(--rs-radius); margin: 0.75rem 0 0; padding: 0.5rem 0.75rem 0.75rem; min-width: 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 12rem), 1fr)); gap: 0.5rem 0.75rem; }
.check { display: flex; align-items: center; gap: 0.5rem; font-weight: 400; min-height: 2.75rem; }
.check input { width: 1.5rem; height: 1.5rem; margin: 0; }
.status { margin: 0.75rem 0 0.25rem; font-weight: 700; }
.next { margin: 0.25rem 0; }
.suggestions { display: flex; flex-wrap: wrap; gap: 0.5rem; list-style: none; padding: 0; margin: 0.25rem 0; }
.views { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin: 0.5rem 0; }
.views button[aria-pressed=true] { background: var(--rs-accent); color: var(--rs-accent-text); }
ol.results { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem; }
.card { border: 1px solid var(--rs-border); border-radius: var(--rs-radius); padding: 0.75rem; background: var(--rs-background); }
.card.private { border-left: 6px solid var(--rs-private); }
.meta { color: var(--rs-muted); font-size: 0.9375rem; }
.private-note { font-weight: 700; color: var(--rs-private); }
.tags { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; margin: 0.25rem 0; padding: 0; list-style: none; }
.contact { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0.375rem 0; }
.contact a { display: inline-flex; align-items: center; min-height: 2.75rem; font-weight: 700; }
.details { margin-top: 0.5rem; padding-top: 0.5rem; border-top: 1px solid var(--rs-surface); }
.details ul { margin: 0; padding-left: 1.25rem; }
.card > button + button { margin-left: 0.5rem; }
.correction { margin-top: 0.5rem; padding: 0.5rem 0.75rem 0.75rem; border: 2px solid var(--rs-accent); border-radius: var(--rs-radius); }
.correction h4 { margin-top: 0.25rem; }
.correction .field { margin: 0.5rem 0; }
.correction textarea { min-height: 6rem; resize: vertical; }
.correction .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.5rem; }
.correction .error { color: #a4161a; font-weight: 700; margin: 0.25rem 0; }
.correction [aria-invalid=true] { border-color: #a4161a; border-width: 3px; }
.thanks { font-weight: 700; margin-top: 0.5rem; }
.map { width: 100%; height: auto; max-height: 28rem; border: 1px solid var(--rs-border); border-radius: var(--rs-radius); background: var(--rs-surface); }
.map .county { fill: var(--rs-background); stroke: var(--rs-border); stroke-width: 0.6; vector-effect: non-scaling-stroke; }
.map .county.private { fill: var(--rs-private); fill-opacity: 0.45; }
.map .outline { fill: none; stroke: var(--rs-text); stroke-width: 1.5; vector-effect: non-scaling-stroke; }
.map .marker { fill: var(--rs-marker); stroke: var(--rs-background); stroke-width: 1.5; vector-effect: non-scaling-stroke; cursor: pointer; }
.map .marker:focus { outline: none; }
.map .marker:focus-visible, .map .county.private:focus-visible { stroke: var(--rs-text); stroke-width: 4; outline: none; }
.learn details { border: 1px solid var(--rs-border); border-radius: var(--rs-radius); margin: 0.5rem 0; padding: 0.25rem 0.75rem; }
.learn summary { cursor: pointer; font-weight: 700; min-height: 2.75rem; display: flex; align-items: center; }
.learn ul { padding-left: 1.25rem; margin: 0.25rem 0; }
.source { font-size: 0.875rem; color: var(--rs-muted); }
.safety { margin-top: 1rem; font-size: 0.9375rem; color: var(--rs-muted); border-top: 1px solid var(--rs-border); padding-top: 0.5rem; }
@media (max-width: 30rem) { .rs { padding: 0.5rem; } h2 { font-size: 1.25rem; } }
`;

  /** @type {CSSStyleSheet | null} */
  let sheet = null;
  function styles() {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    return sheet;
  }

  /**
   * Creates an element. Text is always set as text (never parsed as HTML).
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {Record<string, string | boolean | number | null | undefined>} [attrs]
   * @param {...(Node | string | null | undefined | false)} children
   * @returns {HTMLElementTagNameMap[K]}
   */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === false || v === null || v === undefined) continue;
        el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
    return el;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  /**
   * @param {string} tag
   * @param {Record<string, string | number>} attrs
   * @returns {SVGElement}
   */
  function s(tag, attrs) {
    const el = /** @type {SVGElement} */ (document.createElementNS(SVG_NS, tag));
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    return el;
  }

  /**
   * @param {string} template
   * @param {Record<string, string | number>} values
   */
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, k) => (k in values ? String(values[k]) : ''));
  }

  /** tel: link for a listed number: US numbers in E.164, short codes (*55, 911) as they are. @param {string} number */
  function telLink(number) {
    const digits = number.replace(/[^\d*#+]/g, '');
    if (/^\d{10}$/.test(digits)) return 'tel:+1' + digits;
    if (/^1\d{10}$/.test(digits)) return 'tel:+' + digits;
    return 'tel:' + digits;
  }

  /** @param {string} value */
  function isZip(value) {
    return /^\d{5}(-\d{4})?$/.test(value);
  }

  /** The "Did you mean: A, ST; B, ST?" suggestions of a town the API did not find. @param {string} message */
  function suggestionsOf(message) {
    const m = /:\s*(.+?)\??$/.exec(message);
    if (!m || !/did you mean/i.test(message)) return [];
    return m[1].split(';').map(x => x.trim()).filter(x => x.length > 0).slice(0, 5);
  }

  class RequestError extends Error {
    /** @param {number} status @param {any} body */
    constructor(status, body) {
      super('HTTP ' + status);
      this.status = status;
      this.body = body;
    }
  }

  // One Shift×3 listener per document, whatever the number of widgets.
  /** @type {Set<ReferralSearch>} */
  const widgets = new Set();
  let presses = 0;
  /** @type {number | null} */
  let pressTimer = null;
  let shiftDown = false;
  let shiftModified = false;
  let keysWatched = false;

  function resetPresses() {
    presses = 0;
    if (pressTimer !== null) {
      window.clearTimeout(pressTimer);
      pressTimer = null;
    }
  }

  function watchKeys() {
    if (keysWatched) return;
    keysWatched = true;
    document.addEventListener('keydown', event => {
      if (event.key === 'Shift') {
        if (!event.repeat) {
          shiftDown = true;
          shiftModified = false;
        }
      } else if (shiftDown) {
        shiftModified = true; // Shift + another key is typing, not a quick exit
      }
    }, true);
    document.addEventListener('keyup', event => {
      if (event.key !== 'Shift') return;
      const counts = shiftDown && !shiftModified;
      shiftDown = false;
      if (!counts) return;
      const first = widgets.values().next().value;
      if (!first) return;
      presses += 1;
      // Each press must come within 5 s of the last one.
      if (pressTimer !== null) window.clearTimeout(pressTimer);
      if (presses >= SHIFT_PRESSES) {
        resetPresses();
        first.exit();
        return;
      }
      pressTimer = window.setTimeout(() => {
        resetPresses();
        for (const w of widgets) w.announce('expired');
      }, SHIFT_WINDOW_MS);
      for (const w of widgets) w.announce(presses === 1 ? 'pressed2' : 'pressed1');
    }, true);
    window.addEventListener('pageshow', event => {
      if (!event.persisted) return;
      resetPresses();
      document.documentElement.classList.remove('rs-leaving');
      if (document.body) document.body.hidden = false;
      for (const w of widgets) w.restore();
    });
  }

  class ReferralSearch extends HTMLElement {
    static get observedAttributes() {
      return ['lang', 'api-base', 'partner-key', 'state', 'county', 'services', 'exit-url'];
    }

    constructor() {
      super();
      this.root = this.attachShadow({ mode: 'open' });
      this.root.adoptedStyleSheets = [styles()];
      /** @type {Lang | null} chosen with the switch; wins over the attribute */
      this.chosenLang = null;
      /** @type {'search' | 'learn'} */
      this.tab = 'search';
      /** @type {'list' | 'map'} */
      this.view = 'list';
      /** @type {Where | null} */
      this.where = null;
      this.placeText = '';
      /** @type {Filters} */
      this.filters = { service: '', population: '', traffickingType: '', language: '', openNow: false, is24x7: false, radiusKm: String(Math.round(DEFAULT_RADIUS_MILES * 1.609344)) };
      /** @type {Card[]} */
      this.results = [];
      this.total = 0;
      /** @type {string | null} */
      this.nextCursor = null;
      /** @type {Query | null} */
      this.query = null;
      /** @type {Hotline[]} */
      this.hotlines = [];
      /** @type {{ key: keyof typeof STRINGS.en, extra?: string } | null} */
      this.message = null;
      /** @type {string[]} */
      this.suggestions = [];
      this.searched = false;
      /** @type {{ services: { code: string, label: string }[], populations: { code: string, label: string }[], traffickingTypes: { code: string, label: string }[] } | null} */
      this.taxonomy = null;
      /** @type {Map<string, any>} */
      this.detailCache = new Map();
      /** @type {Map<string, any>} */
      this.outlineCache = new Map();
      /** @type {Map<string, string[]>} */
      this.townCache = new Map();
      this.townSeq = 0;
      /** @type {number | null} */
      this.townTimer = null;
      /** @type {Record<string, any>} */
      this.learnCache = {};
      this.searchSeq = 0;
      this.built = false;
      /** @type {Record<string, HTMLElement>} */
      this.el = {};
    }

    connectedCallback() {
      widgets.add(this);
      watchKeys();
      if (!this.built) this.build();
      if (!this.taxonomy) this.loadTaxonomy();
      if (this.getAttribute('county') && !this.searched) {
        const county = /** @type {string} */ (this.getAttribute('county'));
        if (/^\d{5}$/.test(county)) this.search({ kind: 'county', value: county }, false);
      }
    }

    disconnectedCallback() {
      widgets.delete(this);
    }

    /** @param {string} name */
    attributeChangedCallback(name) {
      if (!this.built) return;
      if (name === 'lang' || name === 'exit-url' || name === 'services') this.build();
    }

    /** @returns {Lang} */
    get lang2() {
      if (this.chosenLang) return this.chosenLang;
      const l = (this.getAttribute('lang') || document.documentElement.lang || 'en').toLowerCase();
      return l.startsWith('es') ? 'es' : 'en';
    }

    get t() {
      return STRINGS[this.lang2];
    }

    get apiBase() {
      return (this.getAttribute('api-base') || SCRIPT_ORIGIN).replace(/\/+$/, '');
    }

    get exitUrl() {
      const u = this.getAttribute('exit-url');
      if (u) {
        try {
          const parsed = new URL(u, location.href);
          if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return parsed.href;
        } catch (e) { /* not an address: the default */ }
      }
      return DEFAULT_EXIT;
    }

    get presetServices() {
      return (this.getAttribute('services') || '').split(',').map(x => x.trim()).filter(x => /^[a-z0-9-]+$/.test(x));
    }

    get presetState() {
      const st = (this.getAttribute('state') || '').trim().toUpperCase();
      return /^[A-Z]{2}$/.test(st) ? st : '';
    }

    /** @param {string} code */
    label(code) {
      if (this.lang2 === 'es' && CODES_ES[code]) return CODES_ES[code];
      const all = this.taxonomy ? [...this.taxonomy.services, ...this.taxonomy.populations, ...this.taxonomy.traffickingTypes] : [];
      const found = all.find(x => x.code === code);
      return found ? found.label : code.replace(/-/g, ' ');
    }

    /** @param {string} code */
    languageName(code) {
      try {
        const names = new Intl.DisplayNames([this.lang2], { type: 'language' });
        const n = names.of(code);
        return n ? n.charAt(0).toUpperCase() + n.slice(1) : code;
      } catch (e) {
        return code;
      }
    }

    // ---------- talking to the API ----------

    /** @param {string} path @returns {Promise<any>} */
    async get(path) {
      /** @type {Record<string, string>} */
      const headers = { Accept: 'application/json' };
      const key = this.getAttribute('partner-key');
      if (key) headers['X-Api-Key'] = key;
      const response = await fetch(this.apiBase + path, { headers, credentials: 'omit', referrerPolicy: 'no-referrer', mode: 'cors', cache: 'default' });
      let body = null;
      try {
        body = await response.json();
      } catch (e) { /* no JSON body */ }
      if (!response.ok) throw new RequestError(response.status, body);
      return body;
    }

    /** @param {string} path @param {Record<string, string>} body @returns {Promise<any>} */
    async post(path, body) {
      /** @type {Record<string, string>} */
      const headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
      const key = this.getAttribute('partner-key');
      if (key) headers['X-Api-Key'] = key;
      const response = await fetch(this.apiBase + path, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'omit', referrerPolicy: 'no-referrer', mode: 'cors', cache: 'no-store' });
      let answer = null;
      try {
        answer = await response.json();
      } catch (e) { /* no JSON body */ }
      if (!response.ok) throw new RequestError(response.status, answer);
      return answer;
    }

    /**
     * Fills the town suggestions for what has been typed so far, a moment after the last key (not for ZIP codes).
     * Answers that come back after newer typing are dropped.
     * @param {string} typed
     */
    suggestTowns(typed) {
      const text = typed.trim();
      if (this.townTimer) window.clearTimeout(this.townTimer);
      const seq = ++this.townSeq;
      if (text.length < 2 || /^\d/.test(text)) {
        this.showTowns([]);
        return;
      }
      this.townTimer = window.setTimeout(async () => {
        const p = new URLSearchParams({ q: text, limit: String(TOWN_SUGGESTIONS) });
        if (this.presetState) p.set('state', this.presetState);
        /** @type {string[]} */
        let labels = [];
        const cached = this.townCache.get(p.toString());
        if (cached) labels = cached;
        else {
          try {
            const answer = await this.get('/v1/places/towns?' + p.toString());
            labels = (Array.isArray(answer && answer.towns) ? answer.towns : []).map((/** @type {any} */ x) => String(x.label));
            this.townCache.set(p.toString(), labels);
          } catch (e) { /* no suggestions: typing and Search still work */ }
        }
        if (seq === this.townSeq) this.showTowns(labels);
      }, TOWN_DELAY_MS);
    }

    /** @param {string[]} labels */
    showTowns(labels) {
      const list = this.el.towns;
      if (list) list.replaceChildren(...labels.map(label => h('option', { value: label })));
    }

    async loadTaxonomy() {
      try {
        const t = await this.get('/v1/taxonomy');
        /** @param {any} list */
        const pick = list => (Array.isArray(list) ? list : []).map((/** @type {any} */ x) => ({ code: String(x.code), label: String(x.label) }));
        this.taxonomy = { services: pick(t.services), populations: pick(t.populations), traffickingTypes: pick(t.traffickingTypes) };
      } catch (e) {
        /** @param {string[]} codes */
        const pick = codes => codes.map(c => ({ code: c, label: c.replace(/-/g, ' ') }));
        this.taxonomy = { services: pick(FALLBACK_TAXONOMY.services), populations: pick(FALLBACK_TAXONOMY.populations), traffickingTypes: pick(FALLBACK_TAXONOMY.traffickingTypes) };
      }
      this.fillFilterOptions();
    }

    /** @param {string | null} cursor */
    searchPath(cursor) {
      const w = this.where;
      const p = new URLSearchParams();
      if (!w) return '';
      if (w.kind === 'point') {
        p.set('lat', w.lat.toFixed(5));
        p.set('lon', w.lon.toFixed(5));
      } else p.set(w.kind, w.value); // zip, near or county
      if (w.kind !== 'county') p.set('radiusKm', this.filters.radiusKm);
      const services = this.filters.service ? [this.filters.service] : this.presetServices;
      if (services.length) p.set('service', services.join(','));
      if (this.filters.population) p.set('population', this.filters.population);
      if (this.filters.traffickingType) p.set('traffickingType', this.filters.traffickingType);
      if (this.filters.language) p.set('language', this.filters.language);
      if (this.filters.openNow) p.set('openNow', 'true');
      if (this.filters.is24x7) p.set('is24x7', 'true');
      p.set('limit', String(PAGE_SIZE));
      if (cursor) p.set('cursor', cursor);
      return '/v1/resources?' + p.toString();
    }

    /** @param {Where} where @param {boolean} [focusStatus] */
    async search(where, focusStatus) {
      this.where = where;
      this.searched = true;
      this.suggestions = [];
      this.results = [];
      this.total = 0;
      this.nextCursor = null;
      this.message = { key: 'searching' };
      this.renderResults();
      const seq = ++this.searchSeq;
      try {
        /** @type {Page} */
        const page = await this.get(this.searchPath(null));
        if (seq !== this.searchSeq) return;
        this.results = page.results || [];
        this.total = page.total || 0;
        this.nextCursor = page.nextCursor || null;
        this.query = page.query || null;
        this.hotlines = page.hotlines || [];
        this.message = null;
      } catch (e) {
        if (seq !== this.searchSeq) return;
        this.failed(e);
      }
      this.renderResults();
      this.renderHotlines();
      if (this.view === 'map') this.renderMap();
      if (focusStatus && this.el.status) this.el.status.focus();
    }

    async more() {
      if (!this.nextCursor) return;
      const first = this.results.length;
      const seq = this.searchSeq;
      try {
        /** @type {Page} */
        const page = await this.get(this.searchPath(this.nextCursor));
        if (seq !== this.searchSeq) return;
        this.results = this.results.concat(page.results || []);
        this.nextCursor = page.nextCursor || null;
        this.total = page.total || this.total;
      } catch (e) {
        this.failed(e);
      }
      this.renderResults();
      if (this.view === 'map') this.renderMap();
      const heading = this.root.querySelectorAll('ol.results > li h3 a, ol.results > li h3 [tabindex]')[first];
      if (heading instanceof HTMLElement) heading.focus();
    }

    /** @param {unknown} e */
    failed(e) {
      this.results = [];
      this.nextCursor = null;
      if (e instanceof RequestError) {
        const errors = (e.body && e.body.errors) || {};
        if (e.status === 429) this.message = { key: 'busy' };
        else if (errors.near) {
          this.suggestions = suggestionsOf(String(errors.near[0] || ''));
          this.message = { key: this.suggestions.length ? 'didYouMean' : 'unknownTown' };
        } else if (errors.zip) this.message = { key: 'unknownZip' };
        else if (e.status >= 400 && e.status < 500) this.message = { key: 'badSearch' };
        else this.message = { key: 'unreachable' };
      } else {
        this.message = { key: 'unreachable' };
        this.hotlines = [];
      }
    }

    // ---------- quick exit ----------

    exit() {
      const url = this.exitUrl;
      resetPresses();
      this.root.replaceChildren();
      this.built = false;
      this.hidden = true;
      document.documentElement.classList.add('rs-leaving');
      if (document.body) document.body.hidden = true;
      try {
        if (!window.top) throw new Error('no top window');
        window.top.location.replace(url);
      } catch (e) {
        // A frame that may not navigate the top window leaves by itself.
        window.location.replace(url);
      }
    }

    restore() {
      this.hidden = false;
      if (!this.built) this.build();
    }

    /** @param {'pressed2' | 'pressed1' | 'expired'} key */
    announce(key) {
      if (this.el.exitStatus) this.el.exitStatus.textContent = this.t[key];
    }

    // ---------- rendering ----------

    build() {
      const t = this.t;
      const lang = this.lang2;
      const exitStatus = h('p', { class: 'sr', 'aria-live': 'polite' });
      const exitButton = h('button', { type: 'button', class: 'exit' }, t.exit);
      exitButton.addEventListener('click', event => {
        event.preventDefault();
        this.exit();
      });
      const switchButton = h('button', { type: 'button', class: 'switch', lang: lang === 'en' ? 'es' : 'en', 'aria-label': t.switchLabel }, t.switchTo);
      switchButton.addEventListener('click', () => {
        this.chosenLang = lang === 'en' ? 'es' : 'en';
        this.build();
        const again = this.root.querySelector('button.switch');
        if (again instanceof HTMLElement) again.focus();
      });

      const hotlines = h('section', { class: 'help', 'aria-labelledby': 'rs-help' });
      const tabSearch = h('button', { type: 'button', role: 'tab', id: 'rs-tab-search', 'aria-controls': 'rs-panel-search' }, t.tabSearch);
      const tabLearn = h('button', { type: 'button', role: 'tab', id: 'rs-tab-learn', 'aria-controls': 'rs-panel-learn' }, t.tabLearn);
      const tablist = h('div', { role: 'tablist', 'aria-label': t.tabsLabel }, tabSearch, tabLearn);
      const panelSearch = h('div', { role: 'tabpanel', id: 'rs-panel-search', class: 'panel', 'aria-labelledby': 'rs-tab-search' });
      const panelLearn = h('div', { role: 'tabpanel', id: 'rs-panel-learn', class: 'panel learn', 'aria-labelledby': 'rs-tab-learn', tabindex: 0 });
      const tabs = [tabSearch, tabLearn];
      tabs.forEach((tab, i) => {
        tab.addEventListener('click', () => this.selectTab(i === 0 ? 'search' : 'learn'));
        tab.addEventListener('keydown', event => {
          if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft' && event.key !== 'Home' && event.key !== 'End') return;
          event.preventDefault();
          const next = event.key === 'Home' ? 0 : event.key === 'End' ? 1 : (i + 1) % 2;
          this.selectTab(next === 0 ? 'search' : 'learn');
          tabs[next].focus();
        });
      });

      // The search form: never submitted to the page (no search terms in the URL).
      const place = h('input', { type: 'text', id: 'rs-place', name: 'place', autocomplete: 'off', 'aria-describedby': 'rs-place-hint', spellcheck: 'false', list: 'rs-towns' });
      place.value = this.placeText;
      // Towns starting with what is typed, offered by the browser's own suggestion list while typing (before Search).
      const towns = h('datalist', { id: 'rs-towns', 'aria-label': t.townsLabel });
      place.addEventListener('input', () => {
        this.placeText = place.value;
        this.suggestTowns(place.value);
      });
      const submit = h('button', { type: 'submit', class: 'primary' }, t.search);
      const locate = h('button', { type: 'button', class: 'locate' }, t.myLocation);
      locate.addEventListener('click', () => this.useMyLocation());
      const filters = this.buildFilters();
      const form = h('form', { role: 'search', 'aria-label': t.title, novalidate: true },
        h('div', { class: 'where' },
          h('div', { class: 'field' }, h('label', { for: 'rs-place' }, t.placeLabel), h('p', { class: 'hint', id: 'rs-place-hint' }, t.placeHint), place, towns),
          submit, locate),
        filters);
      form.addEventListener('submit', event => {
        event.preventDefault();
        this.submitPlace();
      });

      const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', tabindex: -1 });
      const next = h('p', { class: 'next' });
      const suggestions = h('ul', { class: 'suggestions', 'aria-label': t.didYouMean });
      const listButton = h('button', { type: 'button', 'aria-pressed': String(this.view === 'list') }, t.list);
      const mapButton = h('button', { type: 'button', 'aria-pressed': String(this.view === 'map') }, t.map);
      listButton.addEventListener('click', () => this.setView('list'));
      mapButton.addEventListener('click', () => this.setView('map'));
      const views = h('div', { class: 'views', role: 'group', 'aria-label': t.viewLabel }, listButton, mapButton);
      const mapBox = h('div', { class: 'map-box' });
      const results = h('ol', { class: 'results', 'aria-label': t.resultsLabel });
      const more = h('button', { type: 'button', class: 'more' }, t.more);
      more.addEventListener('click', () => this.more());
      panelSearch.append(form, status, next, suggestions, views, mapBox, results, h('p', {}, more));

      const safety = h('p', { class: 'safety' }, t.safety + ' ',
        h('a', { href: this.apiBase + CLEAR_HISTORY_PATH[lang], target: '_blank', rel: 'noopener noreferrer' }, t.safetyLink));

      const container = h('div', { class: 'rs', lang },
        h('div', { class: 'bar' },
          h('div', { class: 'exit-group' }, exitButton, h('p', { class: 'hint' }, t.exitHint), exitStatus),
          switchButton),
        h('h2', {}, t.title),
        hotlines, tablist, panelSearch, panelLearn, safety);
      this.root.replaceChildren(container);
      this.el = { exitStatus, hotlines, tabSearch, tabLearn, panelSearch, panelLearn, status, next, suggestions, results, more, mapBox, listButton, mapButton, views, place, towns };
      this.built = true;
      this.fillFilterOptions();
      this.selectTab(this.tab);
      this.renderHotlines();
      this.renderResults();
      if (this.view === 'map') this.renderMap();
    }

    buildFilters() {
      const t = this.t;
      /** @param {string} id @param {string} text @param {keyof Filters} key */
      const select = (id, text, key) => {
        const el = h('select', { id: 'rs-' + id, 'data-filter': key });
        el.addEventListener('change', () => {
          /** @type {any} */ (this.filters)[key] = el.value;
          if (this.where) this.search(this.where);
        });
        return h('div', {}, h('label', { for: 'rs-' + id }, text), el);
      };
      /** @param {string} id @param {string} text @param {'openNow' | 'is24x7'} key */
      const check = (id, text, key) => {
        const box = h('input', { type: 'checkbox', id: 'rs-' + id });
        box.checked = this.filters[key];
        box.addEventListener('change', () => {
          this.filters[key] = box.checked;
          if (this.where) this.search(this.where);
        });
        return h('label', { class: 'check', for: 'rs-' + id }, box, text);
      };
      return h('fieldset', {}, h('legend', {}, t.filters),
        h('div', { class: 'grid' },
          select('service', t.service, 'service'),
          select('population', t.population, 'population'),
          select('trafficking', t.traffickingType, 'traffickingType'),
          select('language', t.language, 'language'),
          select('distance', t.distance, 'radiusKm'),
          check('open-now', t.openNow, 'openNow'),
          check('always', t.is24x7, 'is24x7')));
    }

    fillFilterOptions() {
      if (!this.built) return;
      const t = this.t;
      /** @param {string} id @param {{ value: string, text: string }[]} options @param {string} current @param {boolean} any */
      const fillSelect = (id, options, current, any) => {
        const el = this.root.getElementById('rs-' + id);
        if (!(el instanceof HTMLSelectElement)) return;
        const list = any ? [{ value: '', text: t.any }, ...options] : options;
        el.replaceChildren(...list.map(o => h('option', { value: o.value }, o.text)));
        el.value = current;
      };
      const tax = this.taxonomy;
      const preset = this.presetServices;
      const services = tax ? tax.services.filter(x => preset.length === 0 || preset.includes(x.code)) : [];
      fillSelect('service', services.map(x => ({ value: x.code, text: this.label(x.code) })), this.filters.service, true);
      fillSelect('population', (tax ? tax.populations : []).map(x => ({ value: x.code, text: this.label(x.code) })), this.filters.population, true);
      fillSelect('trafficking', (tax ? tax.traffickingTypes : []).map(x => ({ value: x.code, text: this.label(x.code) })), this.filters.traffickingType, true);
      fillSelect('language', LANGUAGE_CODES.map(c => ({ value: c, text: this.languageName(c) })), this.filters.language, true);
      fillSelect('distance', RADII_MILES.map(m => ({ value: String(Math.round(m * 1.609344)), text: fill(t.miles, { n: m }) })), this.filters.radiusKm, false);
    }

    /** @param {'search' | 'learn'} tab */
    selectTab(tab) {
      this.tab = tab;
      const search = tab === 'search';
      this.el.tabSearch.setAttribute('aria-selected', String(search));
      this.el.tabLearn.setAttribute('aria-selected', String(!search));
      this.el.tabSearch.tabIndex = search ? 0 : -1;
      this.el.tabLearn.tabIndex = search ? -1 : 0;
      this.el.panelSearch.hidden = !search;
      this.el.panelLearn.hidden = search;
      if (!search) this.renderLearn();
    }

    /** @param {'list' | 'map'} view */
    setView(view) {
      this.view = view;
      this.el.listButton.setAttribute('aria-pressed', String(view === 'list'));
      this.el.mapButton.setAttribute('aria-pressed', String(view === 'map'));
      if (view === 'map') this.renderMap();
      else this.el.mapBox.replaceChildren();
    }

    submitPlace() {
      const value = this.placeText.trim().replace(/\s+/g, ' ');
      if (!value) {
        this.message = { key: 'needPlace' };
        this.renderResults();
        this.el.place.focus();
        return;
      }
      if (isZip(value)) {
        this.search({ kind: 'zip', value }, true);
        return;
      }
      const state = this.presetState;
      this.search({ kind: 'near', value: value.includes(',') || !state ? value : value + ', ' + state }, true);
    }

    useMyLocation() {
      if (!navigator.geolocation) {
        this.message = { key: 'noLocation' };
        this.renderResults();
        return;
      }
      this.message = { key: 'locating' };
      this.renderResults();
      // Asked only after this press; the coordinates stay in memory (never in the URL or any storage).
      navigator.geolocation.getCurrentPosition(
        pos => this.search({ kind: 'point', lat: pos.coords.latitude, lon: pos.coords.longitude }, true),
        () => {
          this.message = { key: 'noLocation' };
          this.renderResults();
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
    }

    placeName() {
      const w = this.where;
      const q = this.query;
      const place = q && q.place;
      if (w && w.kind === 'zip') return w.value;
      if (w && w.kind === 'near') return w.value;
      if (place && place.county) return place.county + (place.state ? ', ' + place.state : '');
      if (w && w.kind === 'county') {
        const fips = w.value;
        const card = this.results.find(c => c.countyFips === fips) || this.results.find(c => c.county);
        return card && card.county ? card.county + (card.state ? ', ' + card.state : '') : this.t.thisCounty;
      }
      return '';
    }

    renderHotlines() {
      const t = this.t;
      const box = this.el.hotlines;
      if (!box) return;
      const items = [
        h('li', {}, h('strong', {}, t.national), ': ', t.call + ' ', h('a', { class: 'number', href: NATIONAL.callLink }, NATIONAL.call),
          ' ' + t.or + ' ' + t.text.toLowerCase() + ' ', h('a', { class: 'number', href: NATIONAL.textLink }, NATIONAL.text), ' (BEFREE). ' + t.nationalText),
      ];
      for (const line of this.hotlines) {
        if (line.coverage === 'nationwide' || line.id === 'national-human-trafficking-hotline') continue;
        const phones = (line.phones || []).filter(p => p && p.number);
        if (!phones.length) continue;
        // A hotline's name is its proper name, as listed (in English); in Spanish it follows a Spanish description
        // and is marked as English, the way the guidance names it ("línea de denuncias … (Missouri Attorney General …)").
        const kind = t.hotlineKind[/** @type {keyof typeof t.hotlineKind} */ (line.coverage || 'nationwide')] || '';
        const stateName = (this.query && this.query.place && this.query.place.stateName) || '';
        const li = kind
          ? h('li', {}, h('strong', {}, fill(kind, { state: stateName }).replace(/ de $/, '')), ' (', h('span', { lang: 'en' }, line.name), '): ')
          : h('li', {}, h('strong', {}, line.name), ': ');
        phones.forEach((p, i) => {
          if (i > 0) li.append(' ' + t.or + ' ');
          const isText = p.type === 'text';
          li.append((isText ? t.text : t.call) + ' ', h('a', { class: 'number', href: isText ? 'sms:' + p.number.replace(/\D/g, '') : telLink(p.number) }, p.number));
        });
        li.append('.');
        items.push(li);
      }
      box.replaceChildren(
        h('h2', { id: 'rs-help' }, t.helpNow),
        h('p', { class: 'emergency' }, t.emergency + ' ', h('a', { class: 'number', href: 'tel:911' }, '911'), '.'),
        h('ul', {}, ...items));
    }

    renderResults() {
      const t = this.t;
      if (!this.built) return;
      const { status, next, suggestions, results, more, views } = this.el;
      const place = this.placeName();
      let text = '';
      if (this.message) text = this.message.key === 'unknownTown' || this.message.key === 'didYouMean' || this.message.key === 'unknownZip' ? t[this.message.key] : String(t[this.message.key]);
      else if (this.searched && this.results.length === 0) text = fill(t.none, { place });
      else if (this.searched && this.total === 1) text = fill(t.foundOne, { place });
      else if (this.searched && this.results.length >= this.total) text = fill(t.foundAll, { total: this.total, place });
      else if (this.searched) text = fill(t.found, { shown: this.results.length, total: this.total, place });
      status.textContent = text;
      const empty = this.searched && !this.message && this.results.length === 0;
      next.textContent = empty ? t.tryNext : '';
      next.hidden = !empty;
      suggestions.replaceChildren(...this.suggestions.map(sugg => {
        const b = h('button', { type: 'button' }, sugg);
        b.addEventListener('click', () => {
          this.placeText = sugg;
          if (this.el.place instanceof HTMLInputElement) this.el.place.value = sugg;
          this.search({ kind: 'near', value: sugg }, true);
        });
        return h('li', {}, b);
      }));
      suggestions.hidden = this.suggestions.length === 0;
      results.replaceChildren(...this.results.map(card => this.renderCard(card)));
      results.hidden = this.results.length === 0;
      views.hidden = this.results.length === 0;
      more.hidden = !this.nextCursor;
    }

    /** @param {Card} card */
    renderCard(card) {
      const t = this.t;
      const id = 'rs-card-' + card.id;
      const li = h('li', { class: 'card' + (card.confidential ? ' private' : ''), id, 'data-id': card.id });
      li.append(h('h3', {}, h('span', { tabindex: -1 }, card.name)));
      if (card.distance) {
        const km = card.distance.km.toLocaleString(this.lang2, { maximumFractionDigits: 1 });
        const mi = card.distance.miles.toLocaleString(this.lang2, { maximumFractionDigits: 1 });
        li.append(h('p', { class: 'meta distance' }, fill(card.approximate ? t.about : t.distanceKm, { km, mi })));
      }
      if (card.confidential) {
        li.append(h('p', { class: 'private-note' }, t.confidential));
        li.append(h('p', { class: 'county' }, fill(t.countyOf, { county: card.county || '', state: card.state || '' })));
      } else if (card.town || card.county) {
        li.append(h('p', { class: 'meta town' }, [card.town, card.county, card.state].filter(Boolean).join(', ')));
      }
      const contact = h('p', { class: 'contact' });
      if (card.phone) contact.append(h('a', { class: 'phone', href: telLink(card.phone) }, t.call + ' ' + card.phone));
      if (card.text) contact.append(h('a', { class: 'text', href: 'sms:' + card.text.replace(/\D/g, '') }, t.text + ' ' + card.text));
      if (contact.childNodes.length) li.append(contact);
      const tags = h('ul', { class: 'tags' });
      if (card.is24x7) tags.append(h('li', { class: 'open' }, t.always));
      else if (card.openNow === true) tags.append(h('li', { class: 'open' }, t.open));
      else if (card.openNow === false) tags.append(h('li', { class: 'open' }, t.closed));
      if (card.languages && card.languages.length) tags.append(h('li', {}, fill(t.languages, { list: card.languages.map(c => this.languageName(c)).join(', ') })));
      if (card.acceptingReferrals === false) tags.append(h('li', {}, t.notAccepting));
      if (card.isDemo) tags.append(h('li', {}, t.demo));
      li.append(tags);
      if (card.services && card.services.length) li.append(h('p', { class: 'meta' }, card.services.map(c => this.label(c)).join(' · ')));
      if (card.lastVerified) li.append(h('p', { class: 'meta' }, fill(t.verified, { date: card.lastVerified })));
      const detailsBox = h('div', { class: 'details', id: id + '-details', hidden: true });
      const toggle = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': id + '-details' }, t.details);
      toggle.addEventListener('click', () => this.toggleDetails(card, toggle, detailsBox));
      const correctionBox = h('div', { class: 'correction-box', id: id + '-correction', hidden: true });
      const report = h('button', { type: 'button', class: 'report', 'aria-controls': id + '-correction' }, t.report);
      report.addEventListener('click', () => this.toggleCorrection(card, report, correctionBox));
      li.append(toggle, report, detailsBox, correctionBox);
      return li;
    }

    /**
     * The "Report a correction" form of a card: what is wrong, what it should say, an optional contact. Sent to
     * POST /v1/suggestions (the listing's id and the form only: never the search). Focus goes to the form's first field,
     * and back to the button on cancel (or Escape); after sending, to the thank-you line.
     * @param {Card} card @param {HTMLButtonElement} button @param {HTMLElement} box
     */
    toggleCorrection(card, button, box) {
      if (!box.hidden) {
        this.closeCorrection(button, box);
        return;
      }
      const t = this.t;
      const base = box.id;
      box.hidden = false;
      const fields = /** @type {Record<string, string>} */ (t.reportFields);
      const select = h('select', { id: base + '-field', name: 'field' }, ...Object.keys(fields).map(k => h('option', { value: k }, fields[k])));
      const messageError = h('p', { class: 'error', id: base + '-message-error', hidden: true });
      const message = h('textarea', { id: base + '-message', name: 'message', rows: 4, maxlength: 1000, required: true, 'aria-describedby': base + '-message-hint' });
      const contactError = h('p', { class: 'error', id: base + '-contact-error', hidden: true });
      const contact = h('input', { type: 'text', id: base + '-contact', name: 'contact', maxlength: 200, autocomplete: 'off', 'aria-describedby': base + '-contact-hint' });
      const status = h('p', { class: 'error', role: 'alert' });
      const send = h('button', { type: 'submit', class: 'primary' }, t.reportSend);
      const cancel = h('button', { type: 'button', class: 'cancel' }, t.reportCancel);
      const form = h('form', { class: 'correction', 'aria-labelledby': base + '-title', novalidate: true },
        h('h4', { id: base + '-title' }, fill(t.reportTitle, { name: card.name })),
        h('div', { class: 'field' }, h('label', { for: base + '-field' }, t.reportField), select),
        h('div', { class: 'field' }, h('label', { for: base + '-message' }, t.reportMessage),
          h('p', { class: 'hint', id: base + '-message-hint' }, t.reportMessageHint), messageError, message),
        h('div', { class: 'field' }, h('label', { for: base + '-contact' }, t.reportContact),
          h('p', { class: 'hint', id: base + '-contact-hint' }, t.reportContactHint), contactError, contact),
        status,
        h('div', { class: 'actions' }, send, cancel));
      /** @param {HTMLElement} field @param {HTMLElement} error @param {string} hint @param {string | null} text */
      const mark = (field, error, hint, text) => {
        error.textContent = text || '';
        error.hidden = !text;
        if (text) {
          field.setAttribute('aria-invalid', 'true');
          field.setAttribute('aria-describedby', error.id + ' ' + hint);
        } else {
          field.removeAttribute('aria-invalid');
          field.setAttribute('aria-describedby', hint);
        }
      };
      cancel.addEventListener('click', () => this.closeCorrection(button, box));
      form.addEventListener('keydown', event => {
        if (event.key === 'Escape') {
          event.preventDefault();
          this.closeCorrection(button, box);
        }
      });
      form.addEventListener('submit', async event => {
        event.preventDefault();
        const text = message.value.trim();
        const who = contact.value.trim();
        const badMessage = text.length < 5 || text.length > 1000;
        const badContact = who.length > 200;
        mark(message, messageError, base + '-message-hint', badMessage ? t.reportTooShort : null);
        mark(contact, contactError, base + '-contact-hint', badContact ? t.reportBadContact : null);
        status.textContent = '';
        if (badMessage || badContact) {
          (badMessage ? message : contact).focus();
          return;
        }
        send.disabled = true;
        send.textContent = t.reportSending;
        try {
          /** @type {Record<string, string>} */
          const body = { listingId: card.id, field: select.value, message: text };
          if (who) body.contact = who;
          await this.post('/v1/suggestions', body);
          const thanks = h('p', { class: 'thanks', role: 'status', tabindex: -1 }, t.reportThanks);
          box.replaceChildren(thanks);
          button.hidden = true;
          thanks.focus();
        } catch (e) {
          const err = e instanceof RequestError ? e : null;
          const errors = err && err.body && err.body.errors ? err.body.errors : {};
          if (err && err.status === 400 && (errors.message || errors.contact)) {
            mark(message, messageError, base + '-message-hint', errors.message ? t.reportTooShort : null);
            mark(contact, contactError, base + '-contact-hint', errors.contact ? t.reportBadContact : null);
            (errors.message ? message : contact).focus();
          } else {
            status.textContent = err && err.status === 429 ? t.reportBusy : t.reportFailed;
          }
          send.disabled = false;
          send.textContent = t.reportSend;
        }
      });
      box.replaceChildren(form);
      select.focus();
    }

    /** @param {HTMLButtonElement} button @param {HTMLElement} box */
    closeCorrection(button, box) {
      box.hidden = true;
      box.replaceChildren();
      button.focus();
    }

    /** @param {Card} card @param {HTMLButtonElement} toggle @param {HTMLElement} box */
    async toggleDetails(card, toggle, box) {
      const t = this.t;
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? t.hideDetails : t.details;
      box.hidden = !open;
      if (!open) return;
      if (!this.detailCache.has(card.id)) {
        box.replaceChildren(h('p', {}, t.loadingDetails));
        try {
          this.detailCache.set(card.id, await this.get('/v1/resources/' + encodeURIComponent(card.id)));
        } catch (e) {
          box.replaceChildren(h('p', {}, t.noDetails));
          return;
        }
      }
      const d = this.detailCache.get(card.id);
      const parts = [];
      if (d.website && /^https?:\/\//i.test(d.website)) parts.push(h('p', {}, h('a', { href: d.website, target: '_blank', rel: 'noopener noreferrer', class: 'website' }, t.website)));
      if (d.email && /^[^@\s]+@[^@\s]+$/.test(d.email)) parts.push(h('p', {}, t.email + ': ', h('a', { href: 'mailto:' + d.email }, d.email)));
      const hours = d.hours;
      if (hours && hours.always) parts.push(h('p', {}, t.hours + ': ' + t.always));
      else if (hours && Array.isArray(hours.periods) && hours.periods.length) {
        const days = /** @type {Record<string, string>} */ (t.days);
        parts.push(h('h4', {}, t.hours), h('ul', {}, ...hours.periods.map((/** @type {any} */ p) => h('li', {}, (days[p.day] || p.day) + ': ' + p.opens + '–' + p.closes))));
      }
      if (Array.isArray(d.populations) && d.populations.length) parts.push(h('p', {}, t.population + ': ' + d.populations.map((/** @type {string} */ c) => this.label(c)).join(', ')));
      if (Array.isArray(d.traffickingTypes) && d.traffickingTypes.length) parts.push(h('p', {}, t.traffickingType + ': ' + d.traffickingTypes.map((/** @type {string} */ c) => this.label(c)).join(', ')));
      if (d.description) parts.push(h('p', { lang: 'en' }, d.description));
      box.replaceChildren(...parts);
    }

    // ---------- map (SVG from the service's simplified outlines; no tiles) ----------

    async renderMap() {
      const t = this.t;
      const box = this.el.mapBox;
      const state = (this.query && this.query.place && this.query.place.state) || this.presetState;
      if (!state || this.results.length === 0) {
        box.replaceChildren();
        return;
      }
      if (!this.outlineCache.has(state)) {
        box.replaceChildren(h('p', {}, t.mapLoading));
        try {
          this.outlineCache.set(state, await this.get('/v1/states/' + encodeURIComponent(state) + '/outline'));
        } catch (e) {
          box.replaceChildren(h('p', {}, t.mapUnavailable));
          return;
        }
      }
      if (this.view !== 'map') return;
      const outline = this.outlineCache.get(state);
      box.replaceChildren(this.drawMap(outline));
    }

    /** @param {any} outline a GeoJSON FeatureCollection: the state (kind "state") and its counties (kind "county", fips) */
    drawMap(outline) {
      const t = this.t;
      const features = /** @type {any[]} */ ((outline && outline.features) || []);
      /** @type {number[][][]} */
      const rings = [];
      /** @param {any} g */
      const ringsOf = g => (!g ? [] : g.type === 'Polygon' ? g.coordinates : g.type === 'MultiPolygon' ? g.coordinates.flat() : []);
      for (const f of features) rings.push(...ringsOf(f.geometry));
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const r of rings) for (const [x, y] of r) {
        minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
      }
      if (!isFinite(minX)) return h('p', {}, t.mapUnavailable);
      const k = Math.cos(((minY + maxY) / 2) * Math.PI / 180);
      const width = 600;
      const scale = width / ((maxX - minX) * k || 1);
      const height = Math.max(1, Math.round((maxY - minY) * scale));
      /** @param {number} x @param {number} y */
      const px = (x, y) => [((x - minX) * k * scale), ((maxY - y) * scale)];
      /** @param {any} g */
      const path = g => ringsOf(g).map((/** @type {number[][]} */ r) => 'M' + r.map(([x, y]) => px(x, y).map(v => v.toFixed(1)).join(',')).join('L') + 'Z').join('');
      const svg = s('svg', { class: 'map', viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': t.mapTitle });
      svg.append(Object.assign(s('title', {}), { textContent: t.mapTitle }));
      const privateCounties = new Map();
      for (const c of this.results) if (c.confidential && c.countyFips) {
        const list = privateCounties.get(c.countyFips) || [];
        list.push(c);
        privateCounties.set(c.countyFips, list);
      }
      for (const f of features) {
        const props = f.properties || {};
        if (props.kind !== 'county') continue;
        const cards = privateCounties.get(props.fips);
        const el = s('path', { d: path(f.geometry), class: 'county' + (cards ? ' private' : ''), 'data-fips': String(props.fips || '') });
        if (cards) {
          el.setAttribute('tabindex', '0');
          el.setAttribute('role', 'button');
          el.setAttribute('aria-label', cards.map((/** @type {Card} */ c) => c.name).join(', ') + ': ' + (props.name || '') + '. ' + t.confidential);
          this.linkToCard(el, cards[0]);
        }
        svg.append(el);
      }
      for (const f of features) if ((f.properties || {}).kind === 'state') svg.append(s('path', { d: path(f.geometry), class: 'outline' }));
      for (const c of this.results) {
        if (c.confidential || typeof c.latitude !== 'number' || typeof c.longitude !== 'number') continue;
        const [x, y] = px(c.longitude, c.latitude);
        const dot = s('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 7, class: 'marker', tabindex: 0, role: 'button', 'aria-label': c.name, 'data-id': c.id });
        dot.append(Object.assign(s('title', {}), { textContent: c.name }));
        this.linkToCard(dot, c);
        svg.append(dot);
      }
      return svg;
    }

    /** A map shape that moves focus to its card in the list. @param {SVGElement} el @param {Card} card */
    linkToCard(el, card) {
      const go = () => {
        const target = this.root.getElementById('rs-card-' + card.id);
        const heading = target && target.querySelector('h3 [tabindex]');
        if (heading instanceof HTMLElement) heading.focus();
      };
      el.addEventListener('click', go);
      el.addEventListener('keydown', event => {
        const e = /** @type {KeyboardEvent} */ (event);
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          go();
        }
      });
    }

    // ---------- the Learn tab: /v1/guidance and /v1/states/{state}/profile ----------

    async renderLearn() {
      const t = this.t;
      const lang = this.lang2;
      const panel = this.el.panelLearn;
      const state = (this.query && this.query.place && this.query.place.state) || this.presetState || 'MO';
      const key = lang + ':' + state;
      if (!this.learnCache[key]) {
        panel.replaceChildren(h('p', {}, t.loadingLearn));
        const [guidance, profile] = await Promise.all([
          this.get('/v1/guidance?lang=' + lang).catch(() => null),
          this.get('/v1/states/' + encodeURIComponent(state) + '/profile?lang=' + lang).catch(() => null),
        ]);
        this.learnCache[key] = { guidance, profile };
      }
      if (this.tab !== 'learn' || this.lang2 !== lang) return;
      const { guidance, profile } = this.learnCache[key];
      if (!guidance && !profile) {
        panel.replaceChildren(h('p', {}, t.learnUnavailable));
        return;
      }
      /** @type {Map<string, any>} */
      const sources = new Map();
      for (const src of [...((guidance && guidance.sources) || []), ...((profile && profile.sources) || [])]) sources.set(src.id, src);
      /** @param {any} item */
      const sourceLine = item => {
        if (!item || !item.source) return null;
        const src = sources.get(item.source);
        const name = src ? [src.publisher, src.title].filter(Boolean).join(', ') : item.source;
        return h('p', { class: 'source' }, fill(t.source, { source: name, date: item.asOf || (src && src.asOf) || '' }));
      };
      /** @type {HTMLElement[]} */
      const parts = [h('h3', {}, t.learnTitle)];
      if (guidance) {
        for (const topic of guidance.topics || []) {
          const body = h('div', {});
          if (topic.summary) body.append(h('p', {}, topic.summary));
          for (const section of topic.sections || []) {
            body.append(h('h4', {}, section.title));
            if (section.intro) body.append(h('p', {}, section.intro));
            const list = h('ul', {});
            for (const item of section.items || []) list.append(h('li', {}, item.text, sourceLine(item)));
            body.append(list);
            if (section.note) body.append(h('p', {}, section.note));
          }
          parts.push(h('details', {}, h('summary', {}, topic.title), body));
        }
      }
      if (profile) {
        const body = h('div', {});
        const heads = profile.headings || {};
        if (profile.summary) body.append(h('p', {}, profile.summary), sourceLine(profile) || '');
        if (Array.isArray(profile.statistics) && profile.statistics.length) {
          body.append(h('h4', {}, heads.statistics || t.statistics));
          for (const st of profile.statistics) {
            body.append(h('p', {}, h('strong', {}, st.title)),
              h('ul', {}, ...(st.figures || []).map((/** @type {any} */ f) => h('li', {}, f.text || (f.label + ': ' + f.value)))));
            for (const n of st.notes || []) body.append(h('p', { class: 'source' }, typeof n === 'string' ? n : (n.text || '')));
            const sl = sourceLine(st);
            if (sl) body.append(sl);
          }
        }
        if (Array.isArray(profile.topVenues) && profile.topVenues.length) {
          body.append(h('h4', {}, heads.topVenues || ''));
          for (const v of profile.topVenues) {
            body.append(h('p', {}, h('strong', {}, v.title)), h('ol', {}, ...(v.venues || []).map((/** @type {any} */ x) => h('li', {}, x.name))));
          }
        }
        if (Array.isArray(profile.laws) && profile.laws.length) {
          body.append(h('h4', {}, heads.laws || ''), h('ul', {}, ...profile.laws.map((/** @type {any} */ l) => h('li', {}, l.statute + ' ' + l.title))));
        }
        for (const [field, head] of [['collaborations', heads.collaborations], ['resources', heads.resources], ['funding', heads.funding], ['campaigns', heads.campaigns]]) {
          const list = profile[field];
          if (!Array.isArray(list) || !list.length) continue;
          body.append(h('h4', {}, head || ''), h('ul', {}, ...list.map((/** @type {any} */ x) => h('li', {}, x.name + (x.description && x.description !== x.name ? ': ' + x.description : '')))));
        }
        if (Array.isArray(profile.hotlines) && profile.hotlines.length) {
          body.append(h('h4', {}, heads.hotlines || ''), h('ul', {}, ...profile.hotlines.map((/** @type {any} */ x) => {
            const li = h('li', {}, h('strong', {}, x.name), x.description ? ': ' + x.description + ' ' : ' ');
            for (const p of x.phones || []) li.append(h('a', { class: 'number', href: p.link || telLink(p.number) }, (p.label ? p.label + ': ' : '') + p.number), ' ');
            return li;
          })));
        }
        parts.push(h('details', {}, h('summary', {}, t.profileTitle + ': ' + (profile.title || profile.stateName || state)), body));
      }
      panel.replaceChildren(...parts);
    }
  }

  if (!customElements.get('referral-search')) customElements.define('referral-search', ReferralSearch);
  /** @type {any} */ (window).ReferralSearch = { version: VERSION };
})();
