// Every string of the page, in Portuguese (the default) and English.
// Names of groups and kinds of care come from /api/taxonomy, not from here.

const STRINGS = {
  pt: {
    'doc.title': 'Bússola: apoio social perto de si',
    'skip': 'Saltar para os resultados',
    'app.name': 'Bússola',
    'app.tagline': 'Apoio social no Alentejo Central',
    'lang.switch': 'English',
    'lang.switch.label': 'Change the language to English',
    'view.label': 'O que quer ver',
    'view.find': 'Encontrar apoio',
    'view.coverage': 'Onde faltam respostas',
    'banner.approximate': 'Atenção: os limites dos concelhos neste mapa são aproximados, não são os oficiais.',
    'banner.demo': 'Os serviços mostrados são dados de demonstração (inventados). Não use estes contactos.',

    'find.title': 'Encontrar apoio perto de si',
    'find.step1': '1. Para quem é o apoio?',
    'find.group.all': 'Todos',
    'find.step2': '2. Que apoio procura?',
    'find.type.any': 'Qualquer apoio',
    'find.type.help': 'Pode deixar "Qualquer apoio".',
    'find.step3': '3. Onde está?',
    'find.locate': 'Usar a minha localização',
    'find.place.label': 'Ou escreva o nome da sua terra ou do concelho',
    'find.place.placeholder': 'Por exemplo: Évora',
    'find.place.go': 'Procurar',
    'find.map.hint': 'Ou toque no mapa no sítio que quer.',

    'state.start': 'Escolha o apoio de que precisa e diga onde está: use a sua localização, escreva o nome do concelho ou toque no mapa.',
    'state.loading': 'A procurar…',
    'state.locating': 'A pedir a sua localização ao navegador…',
    'state.geo.denied': 'Não conseguimos saber onde está (a localização está desligada ou não foi autorizada). Escreva o nome do concelho ou toque no mapa.',
    'state.geo.unsupported': 'Este navegador não dá a localização. Escreva o nome do concelho ou toque no mapa.',
    'state.place.empty': 'Escreva o nome de um concelho, por exemplo Évora, ou toque no mapa.',
    'state.place.none': 'Não encontrámos "{q}" no Alentejo Central. Escolha o seu concelho:',
    'state.place.some': 'Há mais do que um sítio com "{q}". Escolha um:',
    'state.error': 'Não foi possível obter os resultados. Verifique a ligação à internet e tente outra vez.',
    'state.retry': 'Tentar outra vez',
    'state.none': 'Não há nenhum serviço deste tipo na região.',
    'state.none.next': 'Experimente "Qualquer apoio" ou escolha "Todos".',
    'state.clear': 'Mostrar todos os apoios',
    'state.outside': 'Este sítio fica fora do Alentejo Central. Mostramos os serviços da região mais perto dele.',
    'state.map.unavailable': 'O mapa não está disponível neste aparelho. Pode procurar pelo nome do concelho; a lista funciona sem o mapa.',

    'results.title': 'Resultados',
    'results.near.municipality': 'Os {n} mais perto de {place}',
    'results.near.location': 'Os {n} mais perto da sua localização',
    'results.near.point': 'Os {n} mais perto do sítio que escolheu no mapa',
    'results.announce': 'Encontrámos {n} serviços. O mais perto fica a {d}.',
    'results.announce.one': 'Encontrámos 1 serviço, a {d}.',
    'results.more': 'Mostrar mais',
    'results.filters': 'Filtro: {f}',
    'results.newsearch': 'Para procurar noutro sítio, use a sua localização, escreva outro concelho ou toque no mapa.',

    'svc.distance': 'a {d}',
    'svc.phone': 'Telefone',
    'svc.email': 'E-mail',
    'svc.website': 'Sítio na internet',
    'svc.address': 'Morada',
    'svc.directions': 'Como chegar',
    'svc.directions.label': 'Como chegar a {name} (abre a aplicação de mapas)',
    'svc.details': 'Mais informação',
    'svc.details.label': 'Mais informação sobre {name}',
    'svc.show': 'Ver no mapa',
    'svc.demo': 'Dados de demonstração: este serviço é inventado.',
    'svc.provider': 'Entidade',
    'svc.capacity': 'Lugares',
    'svc.users': 'Utentes',
    'svc.vacancies': 'Vagas',
    'svc.hours': 'Horário',
    'svc.municipality': 'Concelho',
    'svc.updated': 'Atualizado',
    'svc.source': 'Fonte',
    'svc.precision': 'Localização',
    'svc.precision.building': 'o próprio edifício',
    'svc.precision.address': 'pela morada',
    'svc.precision.postal_code': 'aproximada (pelo código postal)',
    'svc.precision.locality': 'aproximada (só a localidade)',
    'svc.precision.municipality': 'aproximada (só o concelho)',
    'svc.precision.unknown': 'não se sabe se é exata',
    'svc.nature.ipss': 'IPSS (instituição particular de solidariedade social)',
    'svc.nature.misericordia': 'Santa Casa da Misericórdia',
    'svc.nature.public': 'entidade pública',
    'svc.nature.private_for_profit': 'entidade privada',
    'svc.nature.cooperative': 'cooperativa',
    'svc.nature.mutual_association': 'associação mutualista',
    'svc.unknown': 'não indicado',
    'svc.close': 'Fechar',
    'svc.selected': 'Serviço escolhido no mapa',
    'svc.loading': 'A carregar o serviço…',
    'svc.error': 'Não foi possível abrir este serviço. Tente outra vez.',
    'svc.number': 'Número {n}',

    'legend.title': 'Legenda',
    'legend.cluster': 'Círculo branco com número: vários serviços juntos',
    'legend.result': 'Número preto: resultado da sua procura',
    'legend.origin': 'Alvo: o sítio onde procurou',

    'cov.title': 'Onde faltam respostas',
    'cov.intro': 'Lugares disponíveis por cada 100 pessoas que podem precisar deles, em cada concelho.',
    'cov.indicator': 'Indicador',
    'cov.elderly': 'Pessoas idosas',
    'cov.elderly.help': 'Lugares em lar (ERPI), centro de dia e apoio domiciliário por cada 100 pessoas com 65 ou mais anos.',
    'cov.early_childhood': 'Primeira infância',
    'cov.early_childhood.help': 'Lugares em creche e ama por cada 100 crianças até aos 2 anos.',
    'cov.legend': 'Lugares por 100 pessoas',
    'cov.legend.below': 'menos de {b}',
    'cov.legend.range': 'de {a} a menos de {b}',
    'cov.legend.above': '{a} ou mais',
    'cov.legend.target': 'meta',
    'cov.legend.nodata': 'Sem dados',
    'cov.legend.noplaces': 'Riscado: sem nenhum lugar',
    'cov.legend.belowregional': 'Tracejado: abaixo da média da região',
    'cov.region': '{region}: {rate} lugares por 100 pessoas (média da região). Meta: {target}.',
    'cov.pick': 'Toque num concelho do mapa ou escolha-o na tabela para ver os números.',
    'cov.table.caption': 'Cobertura por concelho: {indicator}',
    'cov.table.name': 'Concelho',
    'cov.table.population': 'Pessoas que podem precisar',
    'cov.table.capacity': 'Lugares',
    'cov.table.rate': 'Lugares por 100',
    'cov.table.situation': 'Situação',
    'cov.table.show': 'Ver {name}',
    'cov.fig.population': 'População total',
    'cov.fig.target.elderly': 'Pessoas com 65 ou mais anos',
    'cov.fig.target.early_childhood': 'Crianças até aos 2 anos',
    'cov.fig.basis.live_births_x3': 'estimativa: 3 vezes os nascimentos de um ano',
    'cov.fig.basis.age_0_2': 'Censos',
    'cov.fig.basis.age_65_plus': 'Censos 2021',
    'cov.fig.capacity': 'Lugares',
    'cov.fig.rate': 'Cobertura: lugares por 100 pessoas',
    'cov.fig.vs.region.below': '{diff} abaixo da média da região ({region})',
    'cov.fig.vs.region.above': '{diff} acima da média da região ({region})',
    'cov.fig.vs.region.equal': 'igual à média da região ({region})',
    'cov.fig.services': 'Serviços por grupo (todos os tipos)',
    'cov.fig.approximate': 'Limites aproximados',
    'cov.gap.no_data': 'Sem dados de população',
    'cov.gap.no_places': 'Sem nenhum lugar',
    'cov.gap.below_regional': 'Abaixo da média da região',
    'cov.gap.below_target': 'Abaixo da meta',
    'cov.gap.meets_target': 'Cumpre a meta',
    'cov.error': 'Não foi possível obter os números da cobertura. Verifique a ligação e tente outra vez.',

    'map.label': 'Mapa dos serviços e concelhos do Alentejo Central. Toque no mapa para procurar perto desse sítio.',
    'map.loading': 'A carregar o mapa…',
    'map.zoomin': 'Aproximar',
    'map.zoomout': 'Afastar',
    'map.attrib': 'Mostrar ou esconder as fontes dos dados',
    'map.canvas': 'Mapa. Use as setas para mover e + ou - para aproximar.',
    'unit.km': '{n} km',
    'unit.m': '{n} m',
    'footer.about': 'Bússola é um serviço aberto. Os dados vêm das fontes indicadas no canto do mapa.',
    'footer.sources': 'Fontes dos dados',
  },
  en: {
    'doc.title': 'Bússola: social care near you',
    'skip': 'Skip to the results',
    'app.name': 'Bússola',
    'app.tagline': 'Social care in Alentejo Central',
    'lang.switch': 'Português',
    'lang.switch.label': 'Mudar a língua para português',
    'view.label': 'What to show',
    'view.find': 'Find care',
    'view.coverage': 'Where care is missing',
    'banner.approximate': 'Please note: the municipal boundaries on this map are approximate, not the official ones.',
    'banner.demo': 'The services shown are demonstration data (invented). Do not use these contacts.',

    'find.title': 'Find care near you',
    'find.step1': '1. Who is the care for?',
    'find.group.all': 'Everyone',
    'find.step2': '2. What kind of care?',
    'find.type.any': 'Any kind of care',
    'find.type.help': 'You can leave "Any kind of care".',
    'find.step3': '3. Where are you?',
    'find.locate': 'Use my location',
    'find.place.label': 'Or type the name of your town or municipality',
    'find.place.placeholder': 'For example: Évora',
    'find.place.go': 'Search',
    'find.map.hint': 'Or tap the map where you want.',

    'state.start': 'Choose the care you need and tell us where you are: use your location, type the name of the municipality or tap the map.',
    'state.loading': 'Searching…',
    'state.locating': 'Asking your browser for your location…',
    'state.geo.denied': 'We could not find where you are (location is off or was not allowed). Type the name of the municipality or tap the map.',
    'state.geo.unsupported': 'This browser does not give your location. Type the name of the municipality or tap the map.',
    'state.place.empty': 'Type the name of a municipality, for example Évora, or tap the map.',
    'state.place.none': 'We did not find "{q}" in Alentejo Central. Choose your municipality:',
    'state.place.some': 'More than one place matches "{q}". Choose one:',
    'state.error': 'We could not get the results. Check your internet connection and try again.',
    'state.retry': 'Try again',
    'state.none': 'There is no service of this kind in the region.',
    'state.none.next': 'Try "Any kind of care" or choose "Everyone".',
    'state.clear': 'Show all kinds of care',
    'state.outside': 'This place is outside Alentejo Central. We show the services of the region nearest to it.',
    'state.map.unavailable': 'The map is not available on this device. You can search by the name of the municipality; the list works without the map.',

    'results.title': 'Results',
    'results.near.municipality': 'The {n} nearest to {place}',
    'results.near.location': 'The {n} nearest to your location',
    'results.near.point': 'The {n} nearest to the place you chose on the map',
    'results.announce': 'We found {n} services. The nearest is {d} away.',
    'results.announce.one': 'We found 1 service, {d} away.',
    'results.more': 'Show more',
    'results.filters': 'Filter: {f}',
    'results.newsearch': 'To search somewhere else, use your location, type another municipality or tap the map.',

    'svc.distance': '{d} away',
    'svc.phone': 'Phone',
    'svc.email': 'E-mail',
    'svc.website': 'Website',
    'svc.address': 'Address',
    'svc.directions': 'Directions',
    'svc.directions.label': 'Directions to {name} (opens your maps app)',
    'svc.details': 'More information',
    'svc.details.label': 'More information about {name}',
    'svc.show': 'Show on the map',
    'svc.demo': 'Demonstration data: this service is invented.',
    'svc.provider': 'Provider',
    'svc.capacity': 'Places',
    'svc.users': 'Users',
    'svc.vacancies': 'Vacancies',
    'svc.hours': 'Opening hours',
    'svc.municipality': 'Municipality',
    'svc.updated': 'Updated',
    'svc.source': 'Source',
    'svc.precision': 'Location',
    'svc.precision.building': 'the building itself',
    'svc.precision.address': 'from the address',
    'svc.precision.postal_code': 'approximate (from the postcode)',
    'svc.precision.locality': 'approximate (the village or town only)',
    'svc.precision.municipality': 'approximate (the municipality only)',
    'svc.precision.unknown': 'not known to be exact',
    'svc.nature.ipss': 'IPSS (private social solidarity institution)',
    'svc.nature.misericordia': 'Santa Casa da Misericórdia',
    'svc.nature.public': 'public body',
    'svc.nature.private_for_profit': 'private company',
    'svc.nature.cooperative': 'cooperative',
    'svc.nature.mutual_association': 'mutual association',
    'svc.unknown': 'not given',
    'svc.close': 'Close',
    'svc.selected': 'Service chosen on the map',
    'svc.loading': 'Loading the service…',
    'svc.error': 'We could not open this service. Please try again.',
    'svc.number': 'Number {n}',

    'legend.title': 'Key',
    'legend.cluster': 'White circle with a number: several services together',
    'legend.result': 'Black number: a result of your search',
    'legend.origin': 'Target: the place you searched from',

    'cov.title': 'Where care is missing',
    'cov.intro': 'Places available for every 100 people who may need them, in each municipality.',
    'cov.indicator': 'Indicator',
    'cov.elderly': 'Older people',
    'cov.elderly.help': 'Places in care homes (ERPI), day centres and home support for every 100 people aged 65 or more.',
    'cov.early_childhood': 'Early childhood',
    'cov.early_childhood.help': 'Places in nurseries (creche) and with childminders for every 100 children up to 2 years old.',
    'cov.legend': 'Places per 100 people',
    'cov.legend.below': 'under {b}',
    'cov.legend.range': '{a} to under {b}',
    'cov.legend.above': '{a} or more',
    'cov.legend.target': 'target',
    'cov.legend.nodata': 'No data',
    'cov.legend.noplaces': 'Hatched: no places at all',
    'cov.legend.belowregional': 'Dashed: below the regional average',
    'cov.region': '{region}: {rate} places per 100 people (regional average). Target: {target}.',
    'cov.pick': 'Tap a municipality on the map or choose it in the table to see its figures.',
    'cov.table.caption': 'Coverage by municipality: {indicator}',
    'cov.table.name': 'Municipality',
    'cov.table.population': 'People who may need care',
    'cov.table.capacity': 'Places',
    'cov.table.rate': 'Places per 100',
    'cov.table.situation': 'Situation',
    'cov.table.show': 'Show {name}',
    'cov.fig.population': 'Total population',
    'cov.fig.target.elderly': 'People aged 65 or more',
    'cov.fig.target.early_childhood': 'Children up to 2 years old',
    'cov.fig.basis.live_births_x3': 'estimate: 3 times the births of one year',
    'cov.fig.basis.age_0_2': 'Census',
    'cov.fig.basis.age_65_plus': 'Census 2021',
    'cov.fig.capacity': 'Places',
    'cov.fig.rate': 'Coverage: places per 100 people',
    'cov.fig.vs.region.below': '{diff} below the regional average ({region})',
    'cov.fig.vs.region.above': '{diff} above the regional average ({region})',
    'cov.fig.vs.region.equal': 'equal to the regional average ({region})',
    'cov.fig.services': 'Services by group (all kinds)',
    'cov.fig.approximate': 'Approximate boundaries',
    'cov.gap.no_data': 'No population data',
    'cov.gap.no_places': 'No places at all',
    'cov.gap.below_regional': 'Below the regional average',
    'cov.gap.below_target': 'Below the target',
    'cov.gap.meets_target': 'Meets the target',
    'cov.error': 'We could not get the coverage figures. Check your connection and try again.',

    'map.label': 'Map of the services and municipalities of Alentejo Central. Tap the map to search near that place.',
    'map.loading': 'Loading the map…',
    'map.zoomin': 'Zoom in',
    'map.zoomout': 'Zoom out',
    'map.attrib': 'Show or hide the data sources',
    'map.canvas': 'Map. Use the arrow keys to move and + or - to zoom.',
    'unit.km': '{n} km',
    'unit.m': '{n} m',
    'footer.about': 'Bússola is an open service. The data comes from the sources listed in the corner of the map.',
    'footer.sources': 'Data sources',
  },
};

export const LANGS = ['pt', 'en'];
const LOCALES = { pt: 'pt-PT', en: 'en-GB' };

let current = 'pt';

/** The language in use ('pt' or 'en'). */
export function lang() {
  return current;
}

/** Sets the language (unknown codes fall back to Portuguese). */
export function setLang(code) {
  current = LANGS.includes(code) ? code : 'pt';
  return current;
}

/** The string `key` in the current language, with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const s = STRINGS[current][key] ?? STRINGS.pt[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** A name object {pt, en} (from the API) in the current language. */
export function name(obj) {
  if (!obj) return '';
  if (typeof obj === 'string') return obj;
  return obj[current] ?? obj.pt ?? obj.en ?? '';
}

/** A plain-words name of a response from the taxonomy. */
export function plainName(response) {
  if (!response) return '';
  return (current === 'en' ? response.en_plain : response.pt_plain) || name(response);
}

/** A number in the current locale. */
export function num(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return t('svc.unknown');
  return new Intl.NumberFormat(LOCALES[current], {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(n);
}

/** A distance in metres as "850 m" or "1,2 km". */
export function distance(m) {
  if (m === null || m === undefined) return '';
  if (m < 1000) return t('unit.m', { n: num(Math.round(m / 10) * 10) });
  return t('unit.km', { n: num(m / 1000, m < 10000 ? 1 : 0) });
}

/** A date (YYYY-MM-DD or ISO) in the current locale. */
export function date(s) {
  if (!s) return '';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return String(s);
  return new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'medium' }).format(d);
}

/** Text without accents, lower-cased: for matching what people type. */
export function fold(s) {
  return String(s ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Fills every element with data-i18n (text), data-i18n-label (aria-label),
 * data-i18n-placeholder, data-i18n-title under `root`. */
export function translateDom(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.setAttribute('title', t(el.dataset.i18nTitle));
}
