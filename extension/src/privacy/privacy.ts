// The privacy policy page: its text in the browser's language (the English original at
// privacy.html?lang=en is the authoritative one, and the translation links to it).

import { localizePage } from '../shared/i18n';

localizePage();
