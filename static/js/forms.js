/* sgconsole: forms */
'use strict';
