import {Rows} from './battlefield.js';

/** The cannon's lines (composed with the field, so a shot leaving the barrel lines up to the cell). */
export const Cannon = Rows;
